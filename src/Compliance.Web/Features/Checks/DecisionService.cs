using System.Collections.Concurrent;
using System.Security.Claims;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Data;
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
/// primary-key read of the workload per call through the check store's <see cref="IWorkloadFactsReader"/> (no DbContext
/// per call: that alone costs ~10× the rule).
/// </summary>
public sealed class DecisionService(
    ReferenceDataCache cache, DatabaseOptions database, IOptions<CheckOptions> options, TimeProvider clock, CustomerScopes? scopes = null)
    : IDisposable
{
    private readonly ConcurrentBag<IWorkloadFactsReader> _readers = [];

    /// <summary>The model a pipeline names: the numeric <see cref="Model.Id"/>, else the host's model id (case-insensitive).</summary>
    public async ValueTask<ModelMatch> FindModelAsync(string model, CancellationToken ct)
    {
        var data = await cache.GetAsync(ct);
        if (int.TryParse(model, out var id) && data.FindModel(id) is { } byId)
        {
            return new ModelMatch(byId, [byId]);
        }

        var key = new ModelKey(model);
        var matches = data.Models.Where(m => m.Matches(key)).OrderBy(m => m.Id).ToList();
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
            reader = CheckStore.WorkloadFactsReader(database);
        }

        try
        {
            var facts = await reader.ReadAsync(workloadId, ct);
            _readers.Add(reader);
            return facts?.For(modelId, usage);
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
}
