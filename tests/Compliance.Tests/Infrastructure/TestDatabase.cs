using Compliance.Data;
using Compliance.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Infrastructure;

/// <summary>A real SQLite database file in a fresh temporary folder, migrated like the app does it; deleted on dispose.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("compliance-test-").FullName;

    public string ConnectionString => $"Data Source={Path.Combine(Folder, "compliance.db")};Pooling=False";

    public DatabaseOptions Options => new(DatabaseProvider.Sqlite, ConnectionString);

    public ComplianceDb Create(string actor = "test")
    {
        var builder = new DbContextOptionsBuilder<ComplianceDb>();
        Options.Configure(builder);
        return new ComplianceDb(builder.Options).As(actor);
    }

    public async Task InitializeAsync()
    {
        await using var db = Create();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the temp folder is cleaned by the OS.
        }

        return Task.CompletedTask;
    }
}
