using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Compliance.Data;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Compliance.Web.Jobs;

/// <summary>
/// One holder at a time, across every instance on one database, for work that must not run twice at once (a check
/// run, the audit verification, the daily notifications): a session-owned lock on a connection held while the work
/// runs — a PostgreSQL advisory lock, a SQL Server application lock; on SQLite (one process by design) a semaphore in
/// this process. A process killed while holding it loses its session, and with it the lock, at once. Used instead of
/// Hangfire's <c>DisableConcurrentExecution</c>, whose lock a killed process leaves behind: on the SQLite storage the
/// restarted process looks again only after a tenth of the attribute's timeout (an hour's verification: 6 minutes).
/// </summary>
public sealed class InstanceLock : IAsyncDisposable
{
    /// <summary>Waits as long as another instance holds it; a negative status (deadlock victim, error) fails the work.</summary>
    internal const string SqlServerTake = """
        DECLARE @status int;
        EXEC @status = sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1;
        IF @status < 0 THROW 51000, N'Could not take the instance lock.', 1;
        """;

    internal const string SqlServerRelease = "EXEC sp_releaseapplock @Resource = @resource, @LockOwner = N'Session'";

    internal const string PostgreSqlTake = "SELECT pg_advisory_lock(@key)";

    internal const string PostgreSqlRelease = "SELECT pg_advisory_unlock(@key)";

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> InProcess = new();

    private readonly DbConnection? _connection;
    private readonly SemaphoreSlim? _semaphore;
    private readonly string? _release;
    private readonly string _name;
    private readonly long _key;

    private InstanceLock(DbConnection? connection, SemaphoreSlim? semaphore, string? release, string name, long key) =>
        (_connection, _semaphore, _release, _name, _key) = (connection, semaphore, release, name, key);

    /// <summary>The PostgreSQL advisory-lock key of a name: the first 8 bytes of its SHA-256.</summary>
    public static long KeyOf(string name) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("compliance:" + name)), 0);

    /// <summary>Takes the lock called <paramref name="name"/>, waiting while another instance holds it.</summary>
    public static async Task<InstanceLock> AcquireAsync(IDbContextFactory<ComplianceDb> factory, string name, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await AcquireAsync(db, name, KeyOf(name), ct);
    }

    /// <summary>As above, with an explicit PostgreSQL key (the check run keeps the key instances of earlier versions take).</summary>
    public static async Task<InstanceLock> AcquireAsync(ComplianceDb db, string name, long key, CancellationToken ct)
    {
        var connectionString = db.Database.GetConnectionString()!;
        DbConnection? connection = db.Database switch
        {
            var d when d.IsNpgsql() => new NpgsqlConnection(connectionString),
            var d when d.IsSqlServer() => new SqlConnection(connectionString),
            _ => null,
        };
        if (connection is null)
        {
            var semaphore = InProcess.GetOrAdd(connectionString + "|" + name, _ => new SemaphoreSlim(1, 1));
            await semaphore.WaitAsync(ct);
            return new InstanceLock(null, semaphore, null, name, key);
        }

        var sqlServer = connection is SqlConnection;
        try
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = sqlServer ? SqlServerTake : PostgreSqlTake;
            command.CommandTimeout = 0; // waits while another instance holds it
            AddParameter(command, name, key);
            await command.ExecuteNonQueryAsync(ct);
            return new InstanceLock(connection, null, sqlServer ? SqlServerRelease : PostgreSqlRelease, name, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static void AddParameter(DbCommand command, string name, long key)
    {
        var parameter = command.CreateParameter();
        (parameter.ParameterName, parameter.Value) = command is SqlCommand ? ("@resource", (object)name) : ("key", key);
        command.Parameters.Add(parameter);
    }

    public async ValueTask DisposeAsync()
    {
        if (_semaphore is not null)
        {
            _semaphore.Release();
            return;
        }

        try
        {
            // Released explicitly: a pooled connection's session outlives Dispose.
            await using var command = _connection!.CreateCommand();
            command.CommandText = _release;
            AddParameter(command, _name, _key);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await _connection!.DisposeAsync();
        }
    }
}
