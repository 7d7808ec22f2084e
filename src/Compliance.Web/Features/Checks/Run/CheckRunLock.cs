using System.Data.Common;
using Compliance.Data;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// Serialises check runs and model re-checks across every instance on one server database (in a process,
/// <see cref="CheckRunner"/>'s semaphore does it): a session-owned lock on a connection held for the whole run — a
/// PostgreSQL advisory lock, a SQL Server application lock. A process killed mid-run loses its session and with it
/// the lock at once (no expiry to wait for), so a run still marked Running when the lock is taken was interrupted —
/// the same conclusion the runner draws within one process. SQLite is one process by design.
/// </summary>
internal sealed class CheckRunLock : IAsyncDisposable
{
    /// <summary>"check-ru" in ASCII: a key no other advisory lock of the app uses.</summary>
    internal const long Key = 0x636865636B2D7275;

    /// <summary>Waits as long as another instance runs; a negative status (deadlock victim, error) fails the run.</summary>
    internal const string SqlServerTake = """
        DECLARE @status int;
        EXEC @status = sp_getapplock @Resource = N'compliance-check-run', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1;
        IF @status < 0 THROW 51000, N'Could not take the check-run lock.', 1;
        """;

    internal const string SqlServerRelease = "EXEC sp_releaseapplock @Resource = N'compliance-check-run', @LockOwner = N'Session'";

    private static readonly string PostgreSqlTake = $"SELECT pg_advisory_lock({Key})";

    private static readonly string PostgreSqlRelease = $"SELECT pg_advisory_unlock({Key})";

    private readonly DbConnection? _connection;
    private readonly string? _release;

    private CheckRunLock(DbConnection? connection, string? release) => (_connection, _release) = (connection, release);

    public static async Task<CheckRunLock> AcquireAsync(ComplianceDb db, CancellationToken ct)
    {
        var (connection, take, release) = db.Database switch
        {
            var d when d.IsNpgsql() => ((DbConnection)new NpgsqlConnection(d.GetConnectionString()), PostgreSqlTake, PostgreSqlRelease),
            var d when d.IsSqlServer() => (new SqlConnection(d.GetConnectionString()), SqlServerTake, SqlServerRelease),
            _ => (null, null, null),
        };
        if (connection is null)
        {
            return new CheckRunLock(null, null);
        }

        try
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = take;
            command.CommandTimeout = 0; // waits while another instance runs
            await command.ExecuteNonQueryAsync(ct);
            return new CheckRunLock(connection, release);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }

        try
        {
            // Released explicitly: a pooled connection's session outlives Dispose.
            await using var command = _connection.CreateCommand();
            command.CommandText = _release;
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
