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

    /// <summary>The factory services take, as the app registers it.</summary>
    public IDbContextFactory<ComplianceDb> Factory => new TestDbFactory(this);

    /// <summary>Migrates and seeds the demo inventory.</summary>
    public async Task SeedDemoAsync()
    {
        await using var db = Create();
        await Compliance.Web.Data.DemoData.DemoInventory.SeedAsync(db, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
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

internal sealed class TestDbFactory(TestDatabase database) : IDbContextFactory<ComplianceDb>
{
    public ComplianceDb CreateDbContext()
    {
        var db = database.Create();
        db.Actor = null; // services attribute their own changes
        return db;
    }
}
