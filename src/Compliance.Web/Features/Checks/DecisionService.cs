using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Claims;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Data;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Web.Features.Checks;

/// <summary>One reason in a decision, as the API returns it.</summary>
public sealed record DecisionReason(string Rule, string Severity, string Message);

/// <summary>"May model M serve workload W?": allowed when no rule fails; warnings are reasons too.</summary>
public sealed record Decision(bool Allowed, IReadOnlyList<DecisionReason> Reasons)
{
    public static Decision From(Evaluation e) =>
        new(e.Allowed, [.. e.Reasons.Select(r => new DecisionReason(r.Rule.ToString(), r.Severity.ToString(), r.Message))]);
}

/// <summary>How a <c>model</c> argument resolved: one model, none, or several hostings of the same host id.</summary>
public sealed record ModelMatch(Model? Model, IReadOnlyList<Model> Candidates);

/// <summary>
/// Answers the decision question with the same function the check uses: cached reference data and one prepared
/// primary-key read of the workload per call (no DbContext per call: that alone costs ~10× the rule).
/// </summary>
public sealed class DecisionService(
    ReferenceDataCache cache, DatabaseOptions database, IOptions<CheckOptions> options, TimeProvider clock, CustomerScopes? scopes = null)
    : IDisposable
{
    private const string WorkloadSql =
        "SELECT w.\"CustomerId\", c.\"Sector\", w.\"ImpactLevel\", w.\"DataCategories\" FROM \"Workloads\" w JOIN \"Customers\" c ON c.\"Id\" = w.\"CustomerId\" WHERE w.\"Id\" = @id";

    private readonly ConcurrentBag<WorkloadReader> _readers = [];

    /// <summary>The model a pipeline names: the numeric <see cref="Model.Id"/>, else the host's model id (case-insensitive).</summary>
    public async ValueTask<ModelMatch> FindModelAsync(string model, CancellationToken ct)
    {
        var data = await cache.GetAsync(ct);
        if (int.TryParse(model, out var id) && data.FindModel(id) is { } byId)
        {
            return new ModelMatch(byId, [byId]);
        }

        var matches = data.Models.Where(m => string.Equals(m.HostModelId, model.Trim(), StringComparison.OrdinalIgnoreCase)).OrderBy(m => m.Id).ToList();
        return new ModelMatch(matches.Count == 1 ? matches[0] : null, matches);
    }

    /// <summary>
    /// The verdict as <paramref name="user"/> may ask for it, or null when the model or the workload does not exist for
    /// them: a principal holding the Customer role (whatever else it holds) only about its own organisation's workloads,
    /// so another's answers "not found" and its ids don't leak. Staff and machine clients resolve without a database read.
    /// </summary>
    public async ValueTask<Evaluation?> DecideAsync(ClaimsPrincipal user, int modelId, int workloadId, Usage usage, CancellationToken ct)
    {
        // Built without scopes (benchmarks, unit tests of the rule), the service answers no principal rather than everyone.
        var scope = scopes is null ? CustomerScope.Nothing : await scopes.ForAsync(user, ct);
        return scope.SeesNothing ? null : await DecideAsync(modelId, workloadId, usage, scope, ct);
    }

    /// <summary>The verdict, or null when the model or the workload does not exist. No caller check (in-process callers, benchmarks).</summary>
    internal ValueTask<Evaluation?> DecideAsync(int modelId, int workloadId, Usage usage, CancellationToken ct) =>
        DecideAsync(modelId, workloadId, usage, CustomerScope.Unrestricted, ct);

    private async ValueTask<Evaluation?> DecideAsync(int modelId, int workloadId, Usage usage, CustomerScope scope, CancellationToken ct)
    {
        var data = await cache.GetAsync(ct);
        if (data.FindModel(modelId) is null || await ReadWorkloadAsync(workloadId, modelId, usage, ct) is not { } facts
            || !scope.CanSee(facts.CustomerId))
        {
            return null;
        }

        return data.Evaluate(facts, clock.GetUtcNow().UtcDateTime, options.Value.ExpiringSoonWindow);
    }

    private async ValueTask<BindingFacts?> ReadWorkloadAsync(int workloadId, int modelId, Usage usage, CancellationToken ct)
    {
        if (!_readers.TryTake(out var reader))
        {
            reader = new WorkloadReader(database);
        }

        try
        {
            var facts = await reader.ReadAsync(workloadId, modelId, usage, ct);
            _readers.Add(reader);
            return facts;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    /// <summary>A connection and its prepared primary-key command, reused by one caller at a time.</summary>
    private sealed class WorkloadReader : IDisposable
    {
        private readonly DbConnection _connection;
        private readonly DbCommand _command;
        private readonly DbParameter _id;

        public WorkloadReader(DatabaseOptions database)
        {
            _connection = database.Provider switch
            {
                DatabaseProvider.SqlServer => new SqlConnection(database.ConnectionString),
                DatabaseProvider.PostgreSql => new Npgsql.NpgsqlConnection(database.ConnectionString),
                _ => new SqliteConnection(database.ConnectionString),
            };
            _connection.Open();
            _command = _connection.CreateCommand();
            _command.CommandText = WorkloadSql;
            _id = CheckStore.Add(_command, "@id", 0);
            if (database.IsServer)
            {
                _id.DbType = System.Data.DbType.Int32; // a prepared statement on a server engine needs the parameter's type
            }

            _command.Prepare();
        }

        public async ValueTask<BindingFacts?> ReadAsync(int workloadId, int modelId, Usage usage, CancellationToken ct)
        {
            _id.Value = workloadId;
            await using var r = await _command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, ct);
            return await r.ReadAsync(ct)
                ? new BindingFacts(modelId, r.GetInt32(0), (Sector)r.GetInt32(1), (ImpactLevel)r.GetInt32(2), (DataCategories)r.GetInt32(3), usage)
                : null;
        }

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }
}
