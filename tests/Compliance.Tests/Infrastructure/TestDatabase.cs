using Compliance.Data;
using Compliance.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Infrastructure;

/// <summary>
/// A real database migrated like the app does it, deleted on dispose: a SQLite file in a fresh temporary folder, or a
/// database of its own on the test PostgreSQL server (<see cref="PostgresServer"/>).
/// </summary>
public sealed class TestDatabase(DatabaseProvider provider = DatabaseProvider.Sqlite) : IAsyncLifetime
{
    private string? _postgres;

    public DatabaseProvider Provider => provider;

    /// <summary>Files the tests keep beside the database (certificates, anchors); the SQLite file lives here too.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("compliance-test-").FullName;

    public string ConnectionString => provider == DatabaseProvider.PostgreSql
        ? _postgres ?? throw new InvalidOperationException("The PostgreSQL test database is created in InitializeAsync.")
        : $"Data Source={Path.Combine(Folder, "compliance.db")};Pooling=False";

    public DatabaseOptions Options => new(provider, ConnectionString);

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

    /// <summary>
    /// Runs SQL on a connection of its own with foreign keys unenforced: what someone with the database file (SQLite) or
    /// a superuser's session (PostgreSQL, replica role) can do behind the app's back.
    /// </summary>
    public async Task ExecuteWithoutForeignKeysAsync(string sql)
    {
        System.Data.Common.DbConnection connection = provider == DatabaseProvider.PostgreSql
            ? new Npgsql.NpgsqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString + ";Foreign Keys=False");
        await using (connection)
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = provider == DatabaseProvider.PostgreSql ? "SET session_replication_role = replica; " + sql : sql;
            await cmd.ExecuteNonQueryAsync();
        }
    }

    public async Task InitializeAsync()
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            _postgres = await PostgresServer.CreateDatabaseAsync(); // a copy of a migrated template
            return;
        }

        await using var db = Create();
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await PostgresServer.DropDatabaseAsync(_postgres);
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the temp folder is cleaned by the OS.
        }
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
