using System.IO.Compression;
using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using static Compliance.Web.Features.Evidence.EvidencePackageService;

namespace Compliance.Web.Features.Evidence;

/// <summary>The CSV files of an evidence package, streamed from the database row by row (a customer's, or all).</summary>
internal static class EvidenceCsv
{
    private static IQueryable<Finding> Findings(ComplianceDb db, int? customerId) =>
        customerId is { } id ? db.Findings.AsNoTracking().Where(f => f.Binding!.CustomerId == id) : db.Findings.AsNoTracking();

    public static Task FindingsAsync(ComplianceDb db, ZipArchive zip, int? customerId, List<(string, string)> files, CancellationToken ct) =>
        WriteAsync(zip, "findings.csv", files, async w =>
        {
            await w.WriteLineAsync("finding_id,binding_id,customer,workload,model,usage,rule,severity,status,first_seen,last_seen,resolved_at,restriction_id,approval_id,detail");
            await foreach (var f in Findings(db, customerId).OrderBy(f => f.Id).Select(f => new
            {
                f.Id, f.BindingId, f.Binding!.CustomerName, f.Binding.WorkloadName, f.Binding.ModelName, f.Binding.Usage, f.Rule, f.Severity, f.Status,
                f.FirstSeen, f.LastSeen, f.ResolvedAt, f.RestrictionId, f.ApprovalId, f.Detail,
            }).AsAsyncEnumerable().WithCancellation(ct))
            {
                await w.WriteLineAsync(Row(f.Id, f.BindingId, f.CustomerName, f.WorkloadName, f.ModelName, f.Usage, f.Rule, f.Severity, f.Status,
                    Time(f.FirstSeen), Time(f.LastSeen), Time(f.ResolvedAt), f.RestrictionId, f.ApprovalId, f.Detail));
            }
        });

    public static Task WaiversAsync(ComplianceDb db, ZipArchive zip, int? customerId, List<(string, string)> files, CancellationToken ct) =>
        WriteAsync(zip, "waivers.csv", files, async w =>
        {
            await w.WriteLineAsync("waiver_id,finding_id,customer,workload,rule,granted_by,granted_at,expires_at,revoked_by,revoked_at,justification");
            var waivers = db.Waivers.AsNoTracking().Where(v => customerId == null || v.Finding!.Binding!.CustomerId == customerId);
            await foreach (var v in waivers.OrderBy(v => v.Id).Select(v => new
            {
                v.Id, v.FindingId, v.Finding!.Binding!.CustomerName, v.Finding.Binding.WorkloadName, v.Finding.Rule, v.GrantedBy, v.GrantedAt, v.ExpiresAt,
                v.RevokedBy, v.RevokedAt, v.Justification,
            }).AsAsyncEnumerable().WithCancellation(ct))
            {
                await w.WriteLineAsync(Row(v.Id, v.FindingId, v.CustomerName, v.WorkloadName, v.Rule, v.GrantedBy, Time(v.GrantedAt), Time(v.ExpiresAt),
                    v.RevokedBy, Time(v.RevokedAt), v.Justification));
            }
        });

    public static Task PlansAsync(ComplianceDb db, ZipArchive zip, int? customerId, List<(string, string)> files, CancellationToken ct) =>
        WriteAsync(zip, "transition-plans.csv", files, async w =>
        {
            await w.WriteLineAsync("plan_id,restriction_id,binding_id,customer,workload,from_model,target_model,owner,target_date,status,completed_at,new_binding_id");
            var plans = db.TransitionPlans.AsNoTracking().Where(p => customerId == null || p.Binding!.CustomerId == customerId);
            await foreach (var p in plans.OrderBy(p => p.Id).Select(p => new
            {
                p.Id, p.RestrictionId, p.BindingId, p.Binding!.CustomerName, p.Binding.WorkloadName, p.Binding.ModelName, Target = p.TargetModel!.DisplayName,
                p.Owner, p.TargetDate, p.Status, p.CompletedAt, p.NewBindingId,
            }).AsAsyncEnumerable().WithCancellation(ct))
            {
                await w.WriteLineAsync(Row(p.Id, p.RestrictionId, p.BindingId, p.CustomerName, p.WorkloadName, p.ModelName, p.Target, p.Owner,
                    Day(p.TargetDate), p.Status, Time(p.CompletedAt), p.NewBindingId));
            }
        });

    /// <summary>
    /// A POA&amp;M in the shape assessors know: one weakness per open or waived finding, its source, severity, the planned
    /// remediation (the transition plan, or the waiver) with its milestone and scheduled completion date.
    /// </summary>
    public static Task PoamAsync(ComplianceDb db, ZipArchive zip, int? customerId, List<(string, string)> files, CancellationToken ct) =>
        WriteAsync(zip, "poam.csv", files, async w =>
        {
            await w.WriteLineAsync("poam_id,weakness,control,severity,status,detected,customer,workload,model,remediation,owner,milestone,scheduled_completion,restriction_deadline");
            var open = Findings(db, customerId).Where(f => f.Status != FindingStatus.Resolved && f.Severity != Severity.Warning);
            await foreach (var f in open.OrderBy(f => f.Id).Select(f => new
            {
                f.Id, f.Rule, f.Severity, f.Status, f.FirstSeen, f.Detail, f.Binding!.CustomerName, f.Binding.WorkloadName, f.Binding.ModelName,
                Deadline = db.Restrictions.Where(r => r.Id == f.RestrictionId).Select(r => (DateTime?)r.TransitionDeadline).FirstOrDefault(),
                Plan = db.TransitionPlans.Where(p => p.BindingId == f.BindingId && p.Status != TransitionStatus.Cancelled).OrderByDescending(p => p.Id)
                    .Select(p => new { p.Id, p.Status, p.Owner, p.TargetDate, Target = p.TargetModel!.DisplayName }).FirstOrDefault(),
                Waiver = db.Waivers.Where(v => v.FindingId == f.Id && v.RevokedAt == null).OrderByDescending(v => v.ExpiresAt)
                    .Select(v => new { v.GrantedBy, v.ExpiresAt }).FirstOrDefault(),
            }).AsAsyncEnumerable().WithCancellation(ct))
            {
                var (remediation, owner, milestone, due) = f.Plan is { } p
                    ? ($"Move to {p.Target} (transition plan #{p.Id})", p.Owner, p.Status.ToString(), (DateTime?)p.TargetDate)
                    : f.Waiver is { } v ? ($"Accepted by waiver until {Day(v.ExpiresAt)}", v.GrantedBy, "Waived", (DateTime?)v.ExpiresAt)
                    : ("No plan yet", "", "Open", f.Deadline);
                await w.WriteLineAsync(Row($"POAM-{f.Id}", f.Detail, Control(f.Rule), f.Severity, f.Status, Day(f.FirstSeen), f.CustomerName, f.WorkloadName, f.ModelName,
                    remediation, owner, milestone, Day(due), Day(f.Deadline)));
            }
        });

    /// <summary>The SP 800-53 control a rule's finding is a weakness against (docs/controls.md).</summary>
    internal static string Control(FindingRule rule) => rule switch
    {
        FindingRule.Restricted => "SR-3",
        FindingRule.ModelRetired or FindingRule.ModelDeprecated => "CM-8",
        _ => "SA-9",
    };
}
