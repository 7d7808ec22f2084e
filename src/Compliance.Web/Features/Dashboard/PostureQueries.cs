using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Dashboard;

/// <summary>The latest succeeded check: how many active bindings it evaluated and how many passed every rule.</summary>
public sealed record LatestCheck(int Id, DateTime StartedAt, DateTime? FinishedAt, int BindingsEvaluated, int CompliantBindings)
{
    /// <summary>Compliant share in [0, 1]; 1 when there was nothing to evaluate.</summary>
    public double Share => BindingsEvaluated == 0 ? 1 : (double)CompliantBindings / BindingsEvaluated;
}

/// <summary>One restriction in effect and what it still affects: open <see cref="FindingRule.Restricted"/> findings and their plans.</summary>
public sealed record RestrictionImpact(
    int Id, string Target, Sectors Sectors, DateTime TransitionDeadline, int AffectedWorkloads, int AffectedBindings, int Planned, int Done, int Overdue = 0)
{
    /// <summary>Whole days from <paramref name="at"/> to the deadline; negative once it has passed.</summary>
    public int DaysLeft(DateTime at) => (int)Math.Floor((TransitionDeadline - at).TotalDays);
}

/// <summary>An approval that ends soon.</summary>
public sealed record ExpiringApproval(int Id, string Model, ImpactLevel MaxImpactLevel, DateTime ValidUntil);

/// <summary>Everything the posture dashboard shows.</summary>
public sealed record Posture(
    DateTime At,
    LatestCheck? Latest,
    IReadOnlyDictionary<Severity, int> OpenBySeverity,
    IReadOnlyList<RestrictionImpact> Restrictions,
    int ExpiringApprovals,
    IReadOnlyList<ExpiringApproval> ExpiringSoonest)
{
    public int Open(Severity severity) => OpenBySeverity.TryGetValue(severity, out var n) ? n : 0;
}

/// <summary>
/// The posture dashboard's numbers, each one aggregate query (indexed counts and group-bys; the inventory is never
/// loaded): the last check run, open findings by severity, restrictions in effect with the workloads they still
/// affect and approvals ending within <see cref="ExpiringWindowDays"/> days. The trend is the daily roll-up's
/// (<see cref="PostureRollup"/>, <see cref="PostureTrends"/>).
/// </summary>
public static class PostureQueries
{
    public const int ExpiringWindowDays = 30;

    public static async Task<Posture> LoadAsync(ComplianceDb db, DateTime at, CancellationToken ct = default)
    {
        var latest = await LatestCheckAsync(db, ct);
        var bySeverity = await OpenBySeverityAsync(db, ct);
        var restrictions = await RestrictionsInEffectAsync(db, at, ct);
        var until = at.AddDays(ExpiringWindowDays);
        var expiring = ExpiringApprovals(db, at, until);
        var count = await expiring.CountAsync(ct);
        var soonest = await expiring.OrderBy(a => a.ValidUntil).Take(5)
            .Select(a => new ExpiringApproval(a.Id, a.Model!.DisplayName, a.MaxImpactLevel, a.ValidUntil!.Value))
            .ToListAsync(ct);
        return new Posture(at, latest, bySeverity, restrictions, count, soonest);
    }

    public static Task<LatestCheck?> LatestCheckAsync(ComplianceDb db, CancellationToken ct = default) =>
        db.CheckRuns.AsNoTracking()
            .Where(r => r.Status == CheckRunStatus.Succeeded)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .Select(r => new LatestCheck(r.Id, r.StartedAt, r.FinishedAt, r.BindingsEvaluated, r.CompliantBindings))
            .FirstOrDefaultAsync(ct);

    public static async Task<IReadOnlyDictionary<Severity, int>> OpenBySeverityAsync(ComplianceDb db, CancellationToken ct = default) =>
        await db.Findings.AsNoTracking()
            .Where(f => f.Status == FindingStatus.Open)
            .GroupBy(f => f.Severity)
            .Select(g => new { Severity = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Severity, x => x.Count, ct);

    /// <summary>Restrictions in effect at <paramref name="at"/>, soonest deadline first, with the open restricted findings, distinct workloads and plans behind each.</summary>
    public static async Task<IReadOnlyList<RestrictionImpact>> RestrictionsInEffectAsync(ComplianceDb db, DateTime at, CancellationToken ct = default)
    {
        var restrictions = await db.Restrictions.AsNoTracking()
            .Where(r => r.EffectiveFrom <= at && (r.LiftedAt == null || r.LiftedAt > at))
            .OrderBy(r => r.TransitionDeadline).ThenBy(r => r.Id)
            .Select(r => new
            {
                r.Id,
                Target = r.Model == null ? "Every " + r.Provider + " model" : r.Model.DisplayName + " (" + r.Model.Hosting + ")",
                r.Sectors,
                r.TransitionDeadline,
            })
            .ToListAsync(ct);
        if (restrictions.Count == 0)
        {
            return [];
        }

        var ids = restrictions.Select(r => r.Id).ToList();
        var open = db.Findings.AsNoTracking()
            .Where(f => f.Rule == FindingRule.Restricted && f.Status == FindingStatus.Open && f.RestrictionId != null && ids.Contains(f.RestrictionId.Value));
        var bindings = await open
            .GroupBy(f => f.RestrictionId!.Value)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Id, x => x.Count, ct);
        var workloads = await open
            .Join(db.Bindings, f => f.BindingId, b => b.Id, (f, b) => new { Id = f.RestrictionId!.Value, b.WorkloadId })
            .Distinct()
            .GroupBy(x => x.Id)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Id, x => x.Count, ct);
        var plans = await db.TransitionPlans.AsNoTracking()
            .Where(p => ids.Contains(p.RestrictionId) && p.Status != TransitionStatus.Cancelled)
            .GroupBy(p => new { p.RestrictionId, Done = p.Status == TransitionStatus.Done })
            .Select(g => new { g.Key.RestrictionId, g.Key.Done, Count = g.Select(p => p.BindingId).Distinct().Count() })
            .ToListAsync(ct);

        // Open plans past their target date (Features/Transitions/OverduePlans).
        var overdue = await Compliance.Web.Features.Transitions.OverduePlans.Of(db, at).Where(p => ids.Contains(p.RestrictionId))
            .GroupBy(p => p.RestrictionId).Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Id, x => x.Count, ct);

        return restrictions.Select(r => new RestrictionImpact(
                r.Id, r.Target, r.Sectors, r.TransitionDeadline,
                workloads.GetValueOrDefault(r.Id), bindings.GetValueOrDefault(r.Id),
                plans.Where(p => p.RestrictionId == r.Id && !p.Done).Sum(p => p.Count),
                plans.Where(p => p.RestrictionId == r.Id && p.Done).Sum(p => p.Count),
                overdue.GetValueOrDefault(r.Id)))
            .ToList();
    }

    /// <summary>Approved approvals still valid at <paramref name="at"/> whose end falls on or before <paramref name="until"/>.</summary>
    public static IQueryable<Approval> ExpiringApprovals(ComplianceDb db, DateTime at, DateTime until) =>
        db.Approvals.AsNoTracking()
            .Where(a => a.Status == ApprovalStatus.Approved && a.ValidUntil != null && a.ValidUntil > at && a.ValidUntil <= until);
}
