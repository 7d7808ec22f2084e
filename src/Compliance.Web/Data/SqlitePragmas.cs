using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Compliance.Web.Data;

/// <summary>
/// WAL keeps readers (grids, the check's readers) unblocked while one writer commits; a larger page
/// cache makes the inventory-sized scans several times faster. No memory-mapped reads: they made the
/// check's resident peak +200 MB over 1M bindings (target ≤ 100 MB) for no gain in time (docs/performance.md).
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public const string Sql = "PRAGMA journal_mode=WAL; " + SessionSql;

    /// <summary>
    /// The per-connection settings without the journal switch, for read-only connections: switching a file that is in
    /// rollback-journal mode (a <c>VACUUM INTO</c> copy, a restored backup) writes to it, and on the read-only connection
    /// EF Core opens to see whether the database exists, start-up died with "attempt to write a readonly database".
    /// </summary>
    public const string SessionSql = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA busy_timeout=30000;";

    private static readonly ConcurrentDictionary<string, bool> ReadOnly = new();

    /// <summary>The statements for <paramref name="connection"/>: with the WAL switch unless it was opened read-only.</summary>
    public static string For(DbConnection connection) =>
        ReadOnly.GetOrAdd(connection.ConnectionString, cs => new SqliteConnectionStringBuilder(cs).Mode == SqliteOpenMode.ReadOnly)
            ? SessionSql
            : Sql;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = For(connection);
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = For(connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Puts the file in WAL mode on a writable connection of its own, before anything opens it read-only: WAL is kept in
    /// the file, so every later connection (read-only ones included) finds it set.
    /// </summary>
    public static async Task UseWalAsync(DatabaseFacade database, CancellationToken ct)
    {
        if (!database.IsSqlite())
        {
            return;
        }

        await using var connection = new SqliteConnection(database.GetConnectionString());
        await connection.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL;";
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Refreshes the planner's statistics where they are stale (SQLite's <c>PRAGMA optimize</c>, which samples; SQL
    /// Server keeps its own). Cheap: run at start.
    /// </summary>
    public static Task OptimizeAsync(DatabaseFacade database, CancellationToken ct) => RunAsync(database, "PRAGMA optimize;", ct);

    /// <summary>
    /// Measures the statistics in full after a bulk load (≈ 1 s per million bindings). Sampled ones guess low-cardinality
    /// columns badly (impact level looked like 2,000 rows a value, not 250,000), and the planner then sorted half a
    /// million bindings for a grid's last page instead of reading an index backwards.
    /// PostgreSQL runs the same statement (its autovacuum would analyse the new rows too, but only minutes later).
    /// </summary>
    public static async Task AnalyzeAsync(DatabaseFacade database, CancellationToken ct)
    {
        if (database.IsSqlite() || database.IsNpgsql())
        {
            await database.ExecuteSqlRawAsync("ANALYZE;", ct);
        }
    }

    private static async Task RunAsync(DatabaseFacade database, string sql, CancellationToken ct)
    {
        if (database.IsSqlite())
        {
            await database.ExecuteSqlRawAsync(sql, ct);
        }
    }
}
