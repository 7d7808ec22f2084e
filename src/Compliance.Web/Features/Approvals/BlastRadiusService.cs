using System.Diagnostics;
using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Checks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Approvals;

/// <summary>One customer's share of a blast radius.</summary>
public sealed record CustomerBlast(int CustomerId, string Name, int Bindings, int Workloads, int WithAlternative);

/// <summary>
/// What a restriction or a revocation would do, on the day it takes effect: bindings that are compliant now and would
/// not be, their workloads and customers, how many of them have an approved alternative model already, and the
/// compliance percentage before and after.
/// </summary>
public sealed record BlastRadius(
    DateTime EvaluatedAt, int Bindings, int CompliantBefore, int CompliantAfter, int BindingsAffected, int WorkloadsAffected,
    int AffectedWithAlternative, IReadOnlyList<CustomerBlast> Customers, long ElapsedMs)
{
    public double PercentBefore => Bindings == 0 ? 100 : 100.0 * CompliantBefore / Bindings;

    public double PercentAfter => Bindings == 0 ? 100 : 100.0 * CompliantAfter / Bindings;
}

/// <summary>
/// Blast radius before acting: evaluates every active binding twice with the check's own rule and reader — as the
/// rules stand, and assuming the draft restriction (or without the approval) — and writes nothing. Officers and
/// administrators only (it spans every customer).
/// </summary>
public sealed class BlastRadiusService(IDbContextFactory<ComplianceDb> factory, IOptions<CheckOptions> options, TimeProvider clock)
{
    public async Task<Outcome<BlastRadius>> OfRestrictionAsync(ClaimsPrincipal by, RestrictionInput draft, CancellationToken ct = default)
    {
        if (Refused(by) is { } refused)
        {
            return refused;
        }

        if (draft.ModelId is null == string.IsNullOrWhiteSpace(draft.Provider))
        {
            return Outcome<BlastRadius>.Invalid(new FieldError("provider", "Choose a vendor or one model to see what the restriction would touch."));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var restriction = new Restriction
        {
            Id = -1, // never saved: only the evaluation sees it
            ModelId = draft.ModelId,
            Provider = draft.ModelId is null ? draft.Provider!.Trim() : null,
            Sectors = draft.Sectors,
            CustomerIds = [.. draft.CustomerIds],
            MinImpactLevel = draft.MinImpactLevel,
            Usages = draft.Usages,
            Hostings = [.. draft.Hostings ?? []],
            EffectiveFrom = DateTime.SpecifyKind(draft.EffectiveFrom, DateTimeKind.Utc),
            TransitionDeadline = DateTime.SpecifyKind(draft.TransitionDeadline, DateTimeKind.Utc),
            Reason = "what-if",
            CreatedBy = by.ActorName(),
        };
        var at = restriction.EffectiveFrom > now ? restriction.EffectiveFrom : now;
        return Outcome<BlastRadius>.Ok(await MeasureAsync(now, at, reference => reference.Assuming(restriction, new HashSet<int>()), ct));
    }

    public async Task<Outcome<BlastRadius>> OfRevocationAsync(ClaimsPrincipal by, int approvalId, CancellationToken ct = default)
    {
        if (Refused(by) is { } refused)
        {
            return refused;
        }

        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (!await db.Approvals.AnyAsync(a => a.Id == approvalId, ct))
            {
                return Outcome<BlastRadius>.Missing($"There is no approval {approvalId}.");
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        return Outcome<BlastRadius>.Ok(await MeasureAsync(now, now, reference => reference.Assuming(null, new HashSet<int> { approvalId }), ct));
    }

    private static Outcome<BlastRadius>? Refused(ClaimsPrincipal by) =>
        by.ActsAs(Roles.ComplianceOfficer) || by.ActsAs(Roles.Administrator)
            ? null
            : Outcome<BlastRadius>.Refused("Only compliance officers and administrators may preview a restriction or revocation.");

    private async Task<BlastRadius> MeasureAsync(DateTime now, DateTime at, Func<ReferenceData, ReferenceData> assume, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var db = await factory.CreateDbContextAsync(ct);
        var current = await ReferenceData.LoadAsync(db, at, ct);
        var assumed = assume(current);
        var store = CheckStore.For(db);
        var workloads = store.LoadWorkloads(ct);
        var (min, max) = store.BindingIdRange();
        var window = options.Value.ExpiringSoonWindow;
        var tallies = await Task.WhenAll(CheckStore.Ranges(min, max, Math.Clamp(options.Value.ReaderCount, 1, 8)).Select(range => Task.Run(() =>
        {
            var tally = new Tally(new EvaluationMemo(current, at, window), new EvaluationMemo(assumed, at, window));
            store.ScanActiveBindings(now, range.From, range.To, binding =>
            {
                if (current.FindModel(binding.ModelId) is not null && workloads.TryGet(binding.WorkloadId, binding.ModelId, binding.Usage, out var facts))
                {
                    tally.Add(binding.WorkloadId, facts, assumed, at, window);
                }
            }, ct);
            return tally;
        }, ct)));

        var names = await db.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var customers = tallies.SelectMany(t => t.Customers).GroupBy(c => c.Key)
            .Select(g => new CustomerBlast(g.Key, names.GetValueOrDefault(g.Key, $"#{g.Key}"), g.Sum(c => c.Value.Bindings),
                g.SelectMany(c => c.Value.Workloads).Distinct().Count(), g.Sum(c => c.Value.WithAlternative)))
            .OrderByDescending(c => c.Bindings).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        return new BlastRadius(at, tallies.Sum(t => t.Bindings), tallies.Sum(t => t.CompliantBefore), tallies.Sum(t => t.CompliantAfter),
            customers.Sum(c => c.Bindings), customers.Sum(c => c.Workloads), customers.Sum(c => c.WithAlternative), customers, watch.ElapsedMilliseconds);
    }

    /// <summary>One reader's counts: no locks while scanning, summed at the end.</summary>
    private sealed class Tally(EvaluationMemo before, EvaluationMemo after)
    {
        private readonly Dictionary<BindingFacts, (int Count, int First)> _shapes = [];

        public int Bindings, CompliantBefore, CompliantAfter;

        public Dictionary<int, (int Bindings, int WithAlternative, HashSet<int> Workloads)> Customers { get; } = [];

        public void Add(int workloadId, in BindingFacts facts, ReferenceData assumed, DateTime at, TimeSpan window)
        {
            Bindings++;
            var wasAllowed = before.Evaluate(facts).Allowed;
            var isAllowed = after.Evaluate(facts).Allowed;
            CompliantBefore += wasAllowed ? 1 : 0;
            CompliantAfter += isAllowed ? 1 : 0;
            if (!wasAllowed || isAllowed)
            {
                return;
            }

            var alternative = assumed.HasAlternative(facts, at, window, _shapes);

            if (!Customers.TryGetValue(facts.CustomerId, out var c))
            {
                c = (0, 0, []);
            }

            c.Workloads.Add(workloadId);
            Customers[facts.CustomerId] = (c.Bindings + 1, c.WithAlternative + (alternative ? 1 : 0), c.Workloads);
        }
    }
}
