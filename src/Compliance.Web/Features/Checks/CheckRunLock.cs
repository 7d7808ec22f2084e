using Compliance.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Compliance.Web.Features.Checks;

/// <summary>
/// Serialises check runs and model re-checks across every instance on one PostgreSQL database (in a process,
/// <see cref="CheckRunner"/>'s semaphore does it): a session advisory lock on a connection held for the whole run.
/// A process killed mid-run loses its session and with it the lock, so a run still marked Running when the lock is
/// taken was interrupted — the same conclusion the runner draws within one process. SQLite is one process by
/// design; on SQL Server the runner has only its semaphore.
/// </summary>
internal sealed class CheckRunLock : IAsyncDisposable
{
    /// <summary>"check-ru" in ASCII: a key no other advisory lock of the app uses.</summary>
    internal const long Key = 0x636865636B2D7275;

    private readonly NpgsqlConnection? _connection;

    private CheckRunLock(NpgsqlConnection? connection) => _connection = connection;

    public static async Task<CheckRunLock> AcquireAsync(ComplianceDb db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return new CheckRunLock(null);
        }

        var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        try
        {
            await connection.OpenAsync(ct);
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection) { CommandTimeout = 0 };
            await take.ExecuteNonQueryAsync(ct); // waits while another instance runs
            return new CheckRunLock(connection);
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
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", _connection);
            await release.ExecuteNonQueryAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
