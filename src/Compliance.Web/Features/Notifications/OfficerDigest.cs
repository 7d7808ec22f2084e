using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Notifications;

/// <summary>The compliance officers' daily email: open findings, what changed in a day, what waits, what is due.</summary>
public sealed class OfficerDigest(
    IDbContextFactory<ComplianceDb> factory,
    NotificationRecipients recipients,
    IBackgroundJobClient jobs,
    IOptions<SmtpOptions> smtp,
    IOptions<NotificationOptions> options,
    TimeProvider clock)
{
    public const string JobId = "officer-digest";

    /// <summary>The recurring job: one digest email per officer who wants it. Returns the number queued.</summary>
    public async Task<int> SendAsync(CancellationToken ct)
    {
        // One at a time across instances, and no wait after a crash (not DisableConcurrentExecution: see InstanceLock).
        await using var exclusive = await InstanceLock.AcquireAsync(factory, JobId, ct);
        if (!smtp.Value.Enabled)
        {
            return 0;
        }

        var messages = await ComposeAsync(ct);
        foreach (var message in messages)
        {
            jobs.Enqueue<EmailSender>(s => s.SendAsync(message, CancellationToken.None));
        }

        return messages.Count;
    }

    public async Task<List<EmailMessage>> ComposeAsync(CancellationToken ct)
    {
        var officers = await recipients.WithRoleAsync(Auth.Roles.ComplianceOfficer, p => p.DailyDigest, ct);
        if (officers.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var dayAgo = now.AddDays(-1);
        var horizon = now.AddDays(options.Value.DeadlineWindowDays);
        await using var db = await factory.CreateDbContextAsync(ct);
        var open = await db.Findings.AsNoTracking().Where(f => f.Status == FindingStatus.Open).GroupBy(f => f.Severity)
            .Select(g => new { Severity = g.Key, Count = g.Count() }).ToListAsync(ct);
        var openedToday = await db.Findings.CountAsync(f => f.FirstSeen >= dayAgo, ct);
        var resolvedToday = await db.Findings.CountAsync(f => f.Status == FindingStatus.Resolved && f.ResolvedAt >= dayAgo, ct);
        var waiting = await db.Approvals.CountAsync(a => a.Status == ApprovalStatus.Requested, ct);
        var deadlines = await db.Restrictions.CountAsync(r => (r.LiftedAt == null || r.LiftedAt > now) && r.TransitionDeadline >= now && r.TransitionDeadline <= horizon, ct);
        var overdue = await db.TransitionPlans.CountAsync(p => p.TargetDate < now && p.Status != TransitionStatus.Done && p.Status != TransitionStatus.Cancelled, ct);

        List<string> lines =
        [
            $"Open findings: {open.Sum(o => o.Count)} ({string.Join(", ", open.OrderByDescending(o => o.Severity).Select(o => $"{o.Count} {o.Severity}"))})",
            $"Opened in the last 24 hours: {openedToday}; resolved: {resolvedToday}",
            $"Approval requests waiting for a decision: {waiting}",
            $"Restrictions with a transition deadline in the next {options.Value.DeadlineWindowDays} days: {deadlines}",
            $"Transition plans past their target date: {overdue}",
        ];
        var subject = $"Compliance digest {now:yyyy-MM-dd}: {open.Sum(o => o.Count)} open findings, {openedToday} new";
        return [.. officers.Select(o => EmailTemplates.Render(o.Email, subject, "Where the inventory stands this morning.", lines,
            "Open the dashboard", smtp.Value.Link("/"), "You get this daily digest because you are a compliance officer of AI Model Compliance."))];
    }
}
