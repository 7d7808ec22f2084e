using System.Data;
using System.Data.Common;
using Compliance.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// The read side every engine's store shares: each reader on a connection of its own (opened from the DbContext's
/// connection string) loads workloads, the id range, and scans the bindings in force with the engine's own statement.
/// </summary>
public abstract class ReaderCheckStore(ComplianceDb db) : ICheckStore
{
    /// <summary>The active bindings in an id range: <c>@from</c>, <c>@to</c> and <c>@now</c>, in the engine's quoting.</summary>
    internal const string ScanStatement =
        "SELECT \"Id\", \"ModelId\", \"WorkloadId\", \"Usage\" FROM \"Bindings\" WHERE \"Id\" >= @from AND \"Id\" <= @to AND (\"To\" IS NULL OR \"To\" > @now)";

    private readonly string _connectionString = db.Database.GetConnectionString()
        ?? throw new InvalidOperationException("The DbContext has no connection string.");

    protected ComplianceDb Db => db;

    /// <summary>A new, closed connection of the engine; <see cref="OpenReader"/> opens it.</summary>
    protected abstract DbConnection NewConnection(string connectionString);

    /// <summary>Sets the scan's text and its three parameters, typed as the engine compares them.</summary>
    protected abstract void PrepareScan(DbCommand command, DateTime at, int fromId, int toId);

    public abstract IFindingWriter BeginFindings(int checkRunId, DateTime at);

    public IModelFindings BeginModelRecheck(int modelId, DateTime at) => new ModelFindings(db, modelId, Timestamp(at), at);

    /// <summary>A point in time as the engine's plain-SQL parameters take it (and compare it with the stored columns).</summary>
    protected virtual object Timestamp(DateTime at) => at;

    /// <summary>A server engine's memory is the server's to manage, not this process's.</summary>
    public virtual IDisposable BoundMemory() => NoBound.Instance;

    public WorkloadTable LoadWorkloads(CancellationToken ct)
    {
        using var connection = OpenReader();
        return CheckStore.LoadWorkloads(connection, ct);
    }

    public (int Min, int Max) BindingIdRange()
    {
        using var connection = OpenReader();
        return CheckStore.ReadRange(connection);
    }

    public int ScanActiveBindings(DateTime at, int fromId, int toId, Action<ActiveBinding> visit, CancellationToken ct)
    {
        using var connection = OpenReader();
        using var command = connection.CreateCommand();
        PrepareScan(command, at, fromId, toId);
        command.CommandTimeout = 0;
        using var r = command.ExecuteReader(CommandBehavior.SequentialAccess);
        return CheckStore.VisitBindings(r, visit, ct);
    }

    protected virtual DbConnection OpenReader()
    {
        var connection = NewConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private sealed class NoBound : IDisposable
    {
        public static readonly NoBound Instance = new();

        public void Dispose()
        {
        }
    }
}
