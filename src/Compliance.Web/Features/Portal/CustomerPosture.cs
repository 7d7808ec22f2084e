using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Features.Checks;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Portal;

/// <summary>
/// One customer's posture at a glance, from the last check run's findings: bindings by status, open findings by
/// severity, the restrictions that reach its bindings (with days to the deadline), its transition plans, its workloads,
/// and its current attestation. What the portal home shows and <c>GET /api/v1/posture</c> returns.
/// </summary>
public sealed record CustomerPosture(
    string CustomerCode,
    string CustomerName,
    Sector Sector,
    DateTime At,
    DateTime? LastCheckAt,
    PostureBindings Bindings,
    IReadOnlyList<PostureSeverityCount> OpenFindings,
    IReadOnlyList<PostureRestriction> Restrictions,
    IReadOnlyList<PostureTransition> Transitions,
    IReadOnlyList<PostureWorkload> Workloads,
    PostureAttestation? CurrentAttestation);

public sealed record PostureBindings(int Total, int Compliant, int CompliantWithWaivers, int NotCompliant);

public sealed record PostureSeverityCount(Severity Severity, int Count);

/// <summary>A restriction that names a model one of the customer's bindings uses; <see cref="DaysLeft"/> to its deadline (negative when past).</summary>
public sealed record PostureRestriction(
    int Id, string Scope, string Reason, DateTime EffectiveFrom, DateTime TransitionDeadline, int DaysLeft, int BindingsAffected, bool InEffect);

public sealed record PostureTransition(
    int Id, string Workload, string FromModel, string TargetModel, DateTime TargetDate, string Owner, TransitionStatus Status);

public sealed record PostureWorkload(
    int Id, string Name, ImpactLevel ImpactLevel, IReadOnlyList<DataCategories> DataCategories, string Environment,
    IReadOnlyList<string> Models, int Bindings, int OpenFindings, AttestationResult Status);

public sealed record PostureAttestation(int Id, string VerificationCode, DateTime IssuedAt, DateTime AsOf, string IssuedBy, AttestationStanding Standing);

public sealed class CustomerPostureQuery(IDbContextFactory<ComplianceDb> dbFactory, TimeProvider clock)
{
    /// <summary>The posture of <paramref name="customerId"/>; null when there is no such customer. The caller checks the scope.</summary>
    public async Task<CustomerPosture?> LoadAsync(int customerId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new { c.Code, c.Name, c.Sector }).SingleOrDefaultAsync(ct);
        if (customer is null)
        {
            return null;
        }

        var lastCheck = await db.CheckRuns.AsNoTracking().Where(r => r.Status == CheckRunStatus.Succeeded)
            .OrderByDescending(r => r.FinishedAt).Select(r => r.FinishedAt).FirstOrDefaultAsync(ct);

        var workloads = await db.Workloads.AsNoTracking().Where(w => w.CustomerId == customerId).OrderBy(w => w.Name).ThenBy(w => w.Id)
            .Select(w => new { w.Id, w.Name, w.ImpactLevel, w.DataCategories, w.Environment })
            .ToListAsync(ct);
        var active = db.Bindings.AsNoTracking().Where(b => b.Workload!.CustomerId == customerId && b.From <= now && (b.To == null || b.To > now));
        var bindings = await active
            .Select(b => new { b.Id, b.WorkloadId, b.ModelId, b.Model!.DisplayName, b.Model.Provider, b.Workload!.ImpactLevel })
            .ToListAsync(ct);
        var findings = await db.Findings.AsNoTracking()
            .Where(f => f.Status != FindingStatus.Resolved && active.Any(b => b.Id == f.BindingId))
            .Select(f => new { f.BindingId, f.Severity, f.Status })
            .ToListAsync(ct);

        var statusOf = findings.ToLookup(f => f.BindingId);
        AttestationResult Status(int bindingId) =>
            statusOf[bindingId].Any(f => f.Status == FindingStatus.Open && f.Severity != Severity.Warning) ? AttestationResult.NotCompliant
            : statusOf[bindingId].Any(f => f.Status == FindingStatus.Waived && f.Severity != Severity.Warning) ? AttestationResult.CompliantWithWaivers
            : AttestationResult.Compliant;
        var statuses = bindings.ToDictionary(b => b.Id, b => Status(b.Id));

        var openBySeverity = findings.Where(f => f.Status == FindingStatus.Open).GroupBy(f => f.Severity)
            .OrderByDescending(g => g.Key).Select(g => new PostureSeverityCount(g.Key, g.Count())).ToList();

        var modelIds = bindings.Select(b => b.ModelId).Distinct().ToList();
        var models = await db.Models.AsNoTracking().Where(m => modelIds.Contains(m.Id)).ToListAsync(ct);
        var restrictions = await db.Restrictions.AsNoTracking().Include(r => r.Model).Where(r => r.LiftedAt == null).ToListAsync(ct);
        var modelById = models.ToDictionary(m => m.Id);
        var touching = restrictions
            .Select(r => (Restriction: r, Affected: bindings.Count(b => BindingEvaluator.Names(r, modelById[b.ModelId])
                && r.Sectors.Covers(customer.Sector) && (r.CustomerIds.Count == 0 || r.CustomerIds.Contains(customerId))
                && b.ImpactLevel >= r.MinImpactLevel)))
            .Where(x => x.Affected > 0)
            .OrderBy(x => x.Restriction.TransitionDeadline)
            .Select(x => new PostureRestriction(x.Restriction.Id, x.Restriction.Model?.DisplayName ?? $"every {x.Restriction.Provider} model",
                x.Restriction.Reason, x.Restriction.EffectiveFrom, x.Restriction.TransitionDeadline,
                (int)Math.Ceiling((x.Restriction.TransitionDeadline - now).TotalDays), x.Affected, x.Restriction.IsInEffectAt(now)))
            .ToList();

        var transitions = await db.TransitionPlans.AsNoTracking()
            .Where(p => p.Binding!.Workload!.CustomerId == customerId && p.Status != TransitionStatus.Cancelled)
            .OrderBy(p => p.TargetDate).ThenBy(p => p.Id)
            .Select(p => new PostureTransition(p.Id, p.Binding!.Workload!.Name, p.Binding.Model!.DisplayName, p.TargetModel!.DisplayName,
                p.TargetDate, p.Owner, p.Status))
            .ToListAsync(ct);

        var byWorkload = bindings.ToLookup(b => b.WorkloadId);
        var grid = workloads.Select(w => new PostureWorkload(w.Id, w.Name, w.ImpactLevel, [.. w.DataCategories.Members()], w.Environment,
                [.. byWorkload[w.Id].Select(b => b.DisplayName).Distinct().Order()], byWorkload[w.Id].Count(),
                byWorkload[w.Id].Sum(b => statusOf[b.Id].Count(f => f.Status == FindingStatus.Open)),
                SnapshotBuilder.Overall(byWorkload[w.Id].Select(b => statuses[b.Id]))))
            .ToList();

        var current = await db.Attestations.AsNoTracking().Where(a => a.CustomerId == customerId && a.Status == AttestationStatus.Current)
            .OrderByDescending(a => a.IssuedAt)
            .Select(a => new { a.Id, a.VerificationCode, a.IssuedAt, a.AsOf, a.IssuedBy, a.StaleSince, a.StaleReason })
            .FirstOrDefaultAsync(ct);

        return new CustomerPosture(customer.Code, customer.Name, customer.Sector, now, lastCheck,
            new PostureBindings(bindings.Count, statuses.Values.Count(s => s == AttestationResult.Compliant),
                statuses.Values.Count(s => s == AttestationResult.CompliantWithWaivers), statuses.Values.Count(s => s == AttestationResult.NotCompliant)),
            openBySeverity, touching, transitions, grid,
            current is null ? null : new PostureAttestation(current.Id, current.VerificationCode, current.IssuedAt, current.AsOf, current.IssuedBy,
                AttestationStanding.Of(AttestationStatus.Current, current.StaleSince, current.StaleReason, null, null, null, null)));
    }
}
