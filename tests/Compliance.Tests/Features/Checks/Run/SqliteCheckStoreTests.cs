using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Checks.Run;

/// <summary>The SQLite check store bounds SQLite's memory for a run and gives the grids their caches back after.</summary>
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
}

[CollectionDefinition(SqliteCheckStoreTests.Name, DisableParallelization = true)]
public sealed class SqliteSoftHeapLimitCollection;
