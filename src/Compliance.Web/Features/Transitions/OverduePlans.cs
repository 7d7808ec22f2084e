using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Notifications;
using Compliance.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Transitions;

/// <summary>What a webhook hears of an overdue plan: which binding, which restriction, whose, and how late.</summary>
public sealed record TransitionPlanOverdue(
    int PlanId, int RestrictionId, int BindingId, string Workload, string Customer, string Owner, DateTime TargetDate, int DaysOverdue, string Link);

/// <summary>
/// Transition plans past their target date and not done (Planned or InProgress). The dashboard and the plans grid flag
/// them; a daily job announces each one once through the notification publisher and records that on the plan.
/// </summary>
public sealed class OverduePlans(IDbContextFactory<ComplianceDb> factory, INotificationPublisher publisher, TimeProvider clock, ILogger<OverduePlans> log)
{
    public const string JobId = "overdue-transition-plans";

    /// <summary>The actor the "notified" marks are attributed to on the audit trail.</summary>
    public const string Actor = "system:overdue-plans";

    /// <summary>Whether a plan is overdue at <paramref name="at"/>: open and past its target date.</summary>
    public static bool IsOverdue(TransitionStatus status, DateTime targetDate, DateTime at) =>
        status is TransitionStatus.Planned or TransitionStatus.InProgress && targetDate < at;

    public static IQueryable<TransitionPlan> Of(ComplianceDb db, DateTime at) =>
        db.TransitionPlans.Where(p => (p.Status == TransitionStatus.Planned || p.Status == TransitionStatus.InProgress) && p.TargetDate < at);

    /// <summary>The daily job: one event per overdue plan not announced before. Returns the events published.</summary>
    public async Task<IReadOnlyList<NotificationEvent>> NotifyAsync(CancellationToken ct)
    {
        // One at a time across instances, and no wait after a crash (not DisableConcurrentExecution: see InstanceLock).
        await using var exclusive = await InstanceLock.AcquireAsync(factory, JobId, ct);
        var at = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var due = await Of(db, at).Where(p => p.OverdueNotifiedAt == null).OrderBy(p => p.Id).Take(1000)
            .Select(p => new { Plan = p, Workload = p.Binding!.Workload!.Name, Customer = p.Binding.Workload.Customer!.Name })
            .ToListAsync(ct);
        var published = new List<NotificationEvent>();
        foreach (var d in due)
        {
            var p = d.Plan;
            var notification = NotificationEvent.Create(NotificationEvent.TransitionPlanOverdue, at, new TransitionPlanOverdue(
                p.Id, p.RestrictionId, p.BindingId, d.Workload, d.Customer, p.Owner, p.TargetDate, (int)Math.Floor((at - p.TargetDate).TotalDays),
                $"/restrictions/{p.RestrictionId}"));
            publisher.Publish(notification);
            p.OverdueNotifiedAt = at;
            published.Add(notification);
        }

        if (published.Count > 0)
        {
            // Marked after publishing: a crash in between announces a plan twice rather than never.
            await db.As(Actor, "Overdue transition plans announced").SaveChangesAsync(ct);
            log.LogInformation("{Count} overdue transition plans announced", published.Count);
        }

        return published;
    }
}
