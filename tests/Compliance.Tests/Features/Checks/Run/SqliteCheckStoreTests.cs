using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Checks.Run;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Checks.Run;

/// <summary>
/// The SQLite check store bounds SQLite's memory for a run and gives the grids their caches back after; its writer
/// leaves the foreign-key check off only for its own transaction.
/// </summary>
[Collection(Name)] // the limit is process-wide: no check run of another test may move it meanwhile
public sealed class SqliteCheckStoreTests : IAsyncLifetime
{
    public const string Name = "sqlite-soft-heap-limit";

    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_run_shares_64_MB_of_sqlite_memory_and_restores_the_limit_it_found()
    {
        await using var db = _database.Create();
        var store = new SqliteCheckStore(db);
        var before = SQLitePCL.raw.sqlite3_soft_heap_limit64(-1); // a negative limit only reads it

        using (store.BoundMemory())
        {
            Assert.Equal(64L << 20, SQLitePCL.raw.sqlite3_soft_heap_limit64(-1));
        }

        Assert.Equal(before, SQLitePCL.raw.sqlite3_soft_heap_limit64(-1));
    }

    [Fact]
    public async Task The_writer_skips_the_foreign_key_check_only_while_it_writes_and_hands_its_connection_back_checking()
    {
        await using var db = _database.Create();
        db.Database.OpenConnection(); // held open across the writer, so its connection can be asked afterwards
        var connection = db.Database.GetDbConnection();
        var run = new Compliance.Domain.CheckRun { StartedAt = DateTime.UtcNow, Trigger = Compliance.Domain.CheckTrigger.Manual };
        db.CheckRuns.Add(run);
        await db.SaveChangesAsync();
        var store = new SqliteCheckStore(db);

        using (var writer = store.BeginFindings(run.Id, DateTime.UtcNow))
        {
            Assert.Equal(0L, ForeignKeys(connection));
            writer.Complete(CancellationToken.None);
        }

        Assert.Equal(1L, ForeignKeys(connection));
    }

    /// <summary>
    /// What makes skipping the foreign-key check safe, tried as an attacker would: a binding deleted by another
    /// connection (a page, a direct database edit) while the writer is open must wait for it, never land between the
    /// readers' snapshot and the writer's commit, so no finding can name a binding that is gone.
    /// </summary>
    [Fact]
    public async Task A_binding_cannot_be_deleted_while_the_writer_is_open()
    {
        await _database.SeedDemoAsync();
        await using var db = _database.Create();
        var run = new Compliance.Domain.CheckRun { StartedAt = DateTime.UtcNow, Trigger = Compliance.Domain.CheckTrigger.Manual };
        db.CheckRuns.Add(run);
        await db.SaveChangesAsync();
        var bindingId = await db.Bindings.Select(b => b.Id).FirstAsync();
        await using var other = new Microsoft.Data.Sqlite.SqliteConnection(_database.ConnectionString);
        other.Open();
        using var delete = other.CreateCommand();
        delete.CommandText = "DELETE FROM \"Bindings\" WHERE \"Id\" = " + bindingId;
        delete.CommandTimeout = 1;

        using (var writer = new SqliteCheckStore(db).BeginFindings(run.Id, DateTime.UtcNow))
        {
            var refused = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => delete.ExecuteNonQuery());
            Assert.Equal(5, refused.SqliteErrorCode); // SQLITE_BUSY: the writer holds the write lock from its start
        }

        await using var after = _database.Create();
        Assert.True(await after.Bindings.AnyAsync(b => b.Id == bindingId));
    }

    private static long ForeignKeys(System.Data.Common.DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA foreign_keys;";
        return (long)cmd.ExecuteScalar()!;
    }
}

[CollectionDefinition(SqliteCheckStoreTests.Name, DisableParallelization = true)]
public sealed class SqliteSoftHeapLimitCollection;
