using System.Data;
using System.Data.Common;
using Compliance.Domain;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>One workload's facts by primary key, for the decision API; used by one caller at a time.</summary>
public interface IWorkloadFactsReader : IDisposable
{
    /// <summary>The workload's facts (before a model and usage are chosen), or null when there is no such workload.</summary>
    ValueTask<BindingFacts?> ReadAsync(int workloadId, CancellationToken ct);
}

/// <summary>
/// A connection and its prepared primary-key command, kept open: the decision's hot path (≤ 5 ms; measured at
/// ~10 µs) cannot afford a DbContext or a connection per call. The SQL is the same on every engine.
/// </summary>
internal sealed class WorkloadFactsReader : IWorkloadFactsReader
{
    internal const string Select = "SELECT " + CheckStore.WorkloadFactsColumns
        + " FROM \"Workloads\" w JOIN \"Customers\" c ON c.\"Id\" = w.\"CustomerId\" WHERE w.\"Id\" = @id";

    private readonly DbConnection _connection;
    private readonly DbCommand _command;
    private readonly DbParameter _id;

    /// <param name="connection">A new, closed connection of the engine; the reader owns it.</param>
    /// <param name="preparedTypes">A prepared statement on a server engine needs its parameter's type.</param>
    public WorkloadFactsReader(DbConnection connection, bool preparedTypes)
    {
        _connection = connection;
        try
        {
            _connection.Open();
            _command = _connection.CreateCommand();
            _command.CommandText = Select;
            _id = CheckStore.Add(_command, "@id", 0);
            if (preparedTypes)
            {
                _id.DbType = DbType.Int32;
            }

            _command.Prepare();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public async ValueTask<BindingFacts?> ReadAsync(int workloadId, CancellationToken ct)
    {
        _id.Value = workloadId;
        await using var r = await _command.ExecuteReaderAsync(CommandBehavior.SingleRow, ct);
        return await r.ReadAsync(ct) ? CheckStore.ReadWorkloadFacts(r, 0) : null;
    }

    public void Dispose()
    {
        _command.Dispose();
        _connection.Dispose();
    }
}
