using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Checks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// Reads one customer's inventory and compliance state at a time into an <see cref="AttestationSnapshot"/>.
/// Every query is scoped to the customer and read-only. A binding's status comes from evaluating it with the
/// evaluation rule (<see cref="BindingEvaluator"/> over <see cref="ReferenceData"/>) at the as-of time, not from the
/// last check run's findings: a binding added after that run would otherwise be stated compliant without ever
/// having been evaluated. A failing rule is waived only when the Findings table holds the finding for that
/// (binding, rule) and a waiver in force names it. The last check run is still referenced, as evidence only.
/// </summary>
public sealed class SnapshotBuilder(IDbContextFactory<ComplianceDb> dbFactory, IOptions<CheckOptions> checkOptions)
{
    public async Task<AttestationSnapshot> BuildAsync(
        int customerId, DateTime asOf, string issuer, string statement, string verificationCode, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == customerId)
            .Select(c => new SnapshotCustomer(c.Code, c.Name, c.Sector))
            .SingleOrDefaultAsync(ct) ?? throw new KeyNotFoundException($"There is no customer {customerId}.");

        var checkRun = await db.CheckRuns.AsNoTracking()
            .Where(r => r.Status == CheckRunStatus.Succeeded && r.StartedAt <= asOf)
            .OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.Id)
            .Select(r => new SnapshotCheckRun(r.Id, r.StartedAt, r.FinishedAt, r.Trigger, r.BindingsEvaluated))
            .FirstOrDefaultAsync(ct);

        var workloads = await db.Workloads.AsNoTracking().Where(w => w.CustomerId == customerId)
            .OrderByDescending(w => w.ImpactLevel).ThenBy(w => w.Name).ThenBy(w => w.Id)
            .Select(w => new { w.Id, w.Name, w.Owner, w.Environment, w.ImpactLevel, w.DataCategories })
            .ToListAsync(ct);

        var activeBindings = db.Bindings.AsNoTracking()
            .Where(b => b.Workload!.CustomerId == customerId && b.From <= asOf && (b.To == null || b.To > asOf));

        var bindings = await activeBindings
            .OrderBy(b => b.Model!.Provider).ThenBy(b => b.Model!.HostModelId).ThenBy(b => b.Id)
            .Select(b => new
            {
                b.Id, b.WorkloadId, b.Usage, b.Purpose, b.From,
                Model = new
                {
                    b.Model!.Id, b.Model.Provider, b.Model.HostModelId, b.Model.DisplayName, b.Model.Version,
                    b.Model.Hosting, b.Model.Region, b.Model.DeprecatedOn, b.Model.RetiredOn,
                },
            })
            .ToListAsync(ct);

        // Only to find the waiver of a freshly failing (binding, rule) and when it was first seen; never for a status.
        var recorded = (await db.Findings.AsNoTracking()
                .Where(f => activeBindings.Any(b => b.Id == f.BindingId))
                .Select(f => new { f.Id, f.BindingId, f.Rule, f.FirstSeen })
                .ToListAsync(ct))
            .ToDictionary(f => (f.BindingId, f.Rule));

        var waivers = await db.Waivers.AsNoTracking()
            .Where(v => v.Finding!.Binding!.Workload!.CustomerId == customerId)
            .Where(Waiver.InForceAt(asOf))
            .OrderBy(v => v.ExpiresAt).ThenBy(v => v.Id)
            .Select(v => new SnapshotWaiver(
                v.Id, v.FindingId, v.Finding!.BindingId, v.Finding.Binding!.Workload!.Name, v.Finding.Binding.Model!.HostModelId,
                v.Finding.Rule, v.Justification, v.GrantedBy, v.GrantedAt, v.ExpiresAt))
            .ToListAsync(ct);

        var plans = await db.TransitionPlans.AsNoTracking()
            .Where(p => p.Binding!.Workload!.CustomerId == customerId && p.Status != TransitionStatus.Cancelled && p.CreatedAt <= asOf)
            .OrderBy(p => p.TargetDate).ThenBy(p => p.Id)
            .Select(p => new SnapshotTransitionPlan(
                p.Id, p.BindingId, p.Binding!.Workload!.Name, p.Binding.Model!.HostModelId, p.TargetModel!.HostModelId,
                p.TargetModel.DisplayName, p.Owner, p.TargetDate, p.Status))
            .ToListAsync(ct);

        var modelIds = bindings.Select(b => b.Model.Id).Distinct().ToList();
        var approvals = (await db.Approvals.AsNoTracking()
                .Where(a => modelIds.Contains(a.ModelId) && a.Status == ApprovalStatus.Approved
                    && a.ValidFrom <= asOf && (a.ValidUntil == null || a.ValidUntil > asOf))
                .OrderBy(a => a.Model!.HostModelId).ThenBy(a => a.Id)
                .Select(a => new
                {
                    a.Id, a.ModelId, a.Model!.HostModelId, a.MaxImpactLevel, a.DataCategories, a.Usages, a.Sectors, a.CustomerIds,
                    a.ValidFrom, a.ValidUntil, a.Conditions, a.DecidedBy, a.DecidedAt,
                })
                .ToListAsync(ct))
            .Where(a => a.Sectors.Covers(customer.Sector) && (a.CustomerIds.Count == 0 || a.CustomerIds.Contains(customerId)))
            .Select(a => new SnapshotApproval(
                a.Id, a.ModelId, a.HostModelId, a.MaxImpactLevel, [.. a.DataCategories.Members()], [.. a.Usages.Members()],
                [.. a.Sectors.Members()], a.CustomerIds.Count > 0, a.ValidFrom, a.ValidUntil, a.Conditions, a.DecidedBy, a.DecidedAt))
            .ToList();

        var reference = await ReferenceData.LoadAsync(db, asOf, ct);
        var window = checkOptions.Value.ExpiringSoonWindow;
        var workloadFacts = workloads.ToDictionary(w => w.Id, w => BindingFacts.OfWorkload(customerId, customer.Sector, w.ImpactLevel, w.DataCategories));
        var waiverByFinding = waivers.GroupBy(v => v.FindingId).ToDictionary(g => g.Key, g => g.First().Id);
        var bindingsByWorkload = bindings.ToLookup(b => b.WorkloadId, b =>
        {
            var model = new SnapshotModel(b.Model.Id, b.Model.Provider, b.Model.HostModelId, b.Model.DisplayName, b.Model.Version,
                b.Model.Hosting, b.Model.Region, Model.Lifecycle(b.Model.DeprecatedOn, b.Model.RetiredOn, asOf));
            var facts = workloadFacts[b.WorkloadId].For(b.Model.Id, b.Usage);
            var evaluation = reference.Evaluate(facts, asOf, window);
            var bindingFindings = evaluation.Reasons
                .OrderByDescending(r => r.Severity).ThenBy(r => r.Rule)
                .Select(r =>
                {
                    var finding = recorded.GetValueOrDefault((b.Id, r.Rule));
                    int? waiverId = finding is not null && !r.IsWarning && waiverByFinding.TryGetValue(finding.Id, out var id) ? id : null;
                    return new SnapshotFinding(finding?.Id, r.Rule, r.Severity, waiverId is null ? FindingStatus.Open : FindingStatus.Waived,
                        r.Message, finding?.FirstSeen, waiverId);
                })
                .ToList();
            return new SnapshotBinding(b.Id, model, b.Usage, b.Purpose, b.From, StatusOf(bindingFindings), bindingFindings);
        });

        var snapshotWorkloads = workloads
            .Select(w => new SnapshotWorkload(w.Id, w.Name, w.Owner, w.Environment, w.ImpactLevel,
                [.. w.DataCategories.Members()], [.. bindingsByWorkload[w.Id]]))
            .ToList();

        var summary = snapshotWorkloads.GroupBy(w => w.ImpactLevel).OrderByDescending(g => g.Key)
            .Select(g =>
            {
                var all = g.SelectMany(w => w.Bindings).ToList();
                return new SnapshotLevelSummary(g.Key, g.Count(), all.Count,
                    all.Count(b => b.Status == AttestationResult.Compliant),
                    all.Count(b => b.Status == AttestationResult.CompliantWithWaivers),
                    all.Count(b => b.Status == AttestationResult.NotCompliant),
                    all.Sum(b => b.Findings.Count(f => f.Status == FindingStatus.Open)));
            })
            .ToList();

        // Every binding was evaluated just now, so the result stands with or without a completed check run.
        var result = Overall(snapshotWorkloads.SelectMany(w => w.Bindings).Select(b => b.Status));
        var evaluated = new SnapshotEvaluation(asOf, SnapshotEvaluation.AtIssue, snapshotWorkloads.Sum(w => w.Bindings.Count), window.Days);
        var auditHead = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id)
            .Select(e => new SnapshotAuditHead(e.Id, e.Hash)).FirstOrDefaultAsync(ct);
        return new AttestationSnapshot(AttestationSnapshot.CurrentSchemaVersion, verificationCode, customer, asOf, issuer, statement,
            checkRun, result, summary, snapshotWorkloads, waivers, plans, approvals, auditHead, evaluated);
    }

    public static AttestationResult StatusOf(IReadOnlyCollection<SnapshotFinding> findings) =>
        findings.Any(f => f.Status == FindingStatus.Open && f.Severity != Severity.Warning) ? AttestationResult.NotCompliant
        : findings.Any(f => f.Status == FindingStatus.Waived && f.Severity != Severity.Warning) ? AttestationResult.CompliantWithWaivers
        : AttestationResult.Compliant;

    public static AttestationResult Overall(IEnumerable<AttestationResult> statuses)
    {
        var result = AttestationResult.Compliant;
        foreach (var status in statuses)
        {
            if (status > result)
            {
                result = status;
            }
        }

        return result;
    }

}
