using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Data;

public abstract class MigrationTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : MigrationTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : MigrationTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Migrations_create_every_table_on_an_empty_database()
    {
        await _database.InitializeAsync();
        await using var db = _database.Create();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        foreach (var entity in db.Model.GetEntityTypes())
        {
            // Querying each set proves its table and columns exist as the model expects.
            var table = entity.GetTableName();
            Assert.NotNull(table);
            var sql = "SELECT COUNT(*) AS \"Value\" FROM \"" + table + "\"";
            var count = await db.Database.SqlQueryRaw<int>(sql).SingleAsync();
            Assert.Equal(0, count);
        }
    }

    [Fact]
    public async Task Migrating_again_at_restart_changes_nothing_and_keeps_the_data()
    {
        await _database.InitializeAsync();
        await using (var db = _database.Create())
        {
            db.Customers.Add(new Domain.Customer { Code = "c1", Name = "Customer One", Sector = Domain.Sector.Defense });
            await db.SaveChangesAsync();
        }

        await using (var db = _database.Create())
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal("Customer One", (await db.Customers.SingleAsync()).Name);
        }
    }

    [Fact]
    public async Task The_model_has_no_changes_its_migrations_lack()
    {
        await _database.InitializeAsync();
        await using var db = _database.Create();
        Assert.False(db.Database.HasPendingModelChanges(), "Add a migration with scripts/migration.sh: the model changed since the last one.");
    }
}

/// <summary>The three provider sets move in step: scripts/migration.sh adds each migration to all of them.</summary>
public sealed class MigrationSetsTests
{
    [Fact]
    public async Task The_sqlite_sql_server_and_postgresql_migration_sets_have_the_same_migrations()
    {
        var sqlite = MigrationNames(typeof(Compliance.Migrations.Sqlite.DesignTimeFactory));
        var sqlServer = MigrationNames(typeof(Compliance.Migrations.SqlServer.DesignTimeFactory));
        Assert.NotEmpty(sqlite);
        var postgreSql = MigrationNames(typeof(Compliance.Migrations.PostgreSql.DesignTimeFactory));
        Assert.Equal(sqlite.Select(StripTimestamp), sqlServer.Select(StripTimestamp));
        // The PostgreSQL set began later, with one Initial from the model as it stood: it must carry every later one.
        var afterStart = sqlite.Select(StripTimestamp).SkipWhile(n => n != "SyncRevisionLink").Skip(1);
        Assert.Equal(["Initial", .. afterStart], postgreSql.Select(StripTimestamp));
        await Task.CompletedTask;

        static string[] MigrationNames(Type marker) => [.. marker.Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false).Length > 0)
            .Select(t => ((Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute)t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false)[0]).Id)
            .Order()];

        static string StripTimestamp(string id) => id[(id.IndexOf('_') + 1)..];
    }
}
