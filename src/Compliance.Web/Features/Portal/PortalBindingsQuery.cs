using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Features.Checks;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Portal;

/// <summary>What the portal's numbers link to: a filter over one customer's bindings in force.</summary>
public sealed record PortalBindingFilter(AttestationResult? Status = null, Severity? Severity = null, int? WorkloadId = null, int? RestrictionId = null,
    bool OpenOnly = false);

public sealed record PortalBinding(
    int Id, string Workload, ImpactLevel ImpactLevel, string Model, string HostModelId, Usage Usage, DateTime From, AttestationResult Status,
    IReadOnlyList<PortalFinding> Findings);

public sealed record PortalFinding(FindingRule Rule, Severity Severity, FindingStatus Status, string Detail, DateTime FirstSeen);

public sealed class PortalBindingsQuery(IDbContextFactory<ComplianceDb> dbFactory, TimeProvider clock)
{
    /// <summary>The customer's bindings in force that match <paramref name="filter"/>, with their unresolved findings.</summary>
    public async Task<List<PortalBinding>> LoadAsync(int customerId, PortalBindingFilter filter, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Bindings.AsNoTracking().Where(b => b.Workload!.CustomerId == customerId && b.From <= now && (b.To == null || b.To > now));
        if (filter.WorkloadId is { } w)
        {
            query = query.Where(b => b.WorkloadId == w);
        }

        var rows = await query.OrderBy(b => b.Workload!.Name).ThenBy(b => b.Model!.DisplayName).ThenBy(b => b.Id)
            .Select(b => new { b.Id, Workload = b.Workload!.Name, b.Workload.ImpactLevel, b.Workload.Customer!.Sector, b.ModelId, Model = b.Model!,
                b.Usage, b.From })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var findings = (await db.Findings.AsNoTracking().Where(f => f.Status != FindingStatus.Resolved && ids.Contains(f.BindingId))
                .OrderByDescending(f => f.Severity).ThenBy(f => f.Rule)
                .Select(f => new { f.BindingId, Finding = new PortalFinding(f.Rule, f.Severity, f.Status, f.Detail, f.FirstSeen) })
                .ToListAsync(ct))
            .ToLookup(f => f.BindingId, f => f.Finding);
        var restriction = filter.RestrictionId is { } rid
            ? await db.Restrictions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == rid && r.LiftedAt == null, ct)
            : null;

        return rows
            .Select(r => new PortalBinding(r.Id, r.Workload, r.ImpactLevel, r.Model.DisplayName, r.Model.HostModelId, r.Usage, r.From,
                SnapshotBuilder.StatusOf([.. findings[r.Id].Select(f => new SnapshotFinding(null, f.Rule, f.Severity, f.Status, f.Detail, null, null))]),
                [.. findings[r.Id]]))
            .Where(b => filter.Status is not { } s || b.Status == s)
            .Where(b => filter.Severity is not { } sev || b.Findings.Any(f => f.Status == FindingStatus.Open && f.Severity == sev))
            .Where(b => !filter.OpenOnly || b.Findings.Any(f => f.Status == FindingStatus.Open))
            .Where(b => filter.RestrictionId is null || (restriction is not null && rows.First(x => x.Id == b.Id) is var x
                && BindingEvaluator.Names(restriction, x.Model) && restriction.Sectors.Covers(x.Sector)
                && (restriction.CustomerIds.Count == 0 || restriction.CustomerIds.Contains(customerId)) && x.ImpactLevel >= restriction.MinImpactLevel))
            .ToList();
    }
}
