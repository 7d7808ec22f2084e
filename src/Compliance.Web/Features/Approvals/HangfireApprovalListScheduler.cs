using Hangfire;

namespace Compliance.Web.Features.Approvals;

/// <summary>Approval-list syncs as Hangfire jobs: one recurring job per source on its cron, and "sync now" as a queued job.</summary>
public sealed class HangfireApprovalListScheduler(IRecurringJobManager recurring, IBackgroundJobClient jobs) : IApprovalListScheduler
{
    public static string RecurringId(int sourceId) => $"approval-list-{sourceId}";

    public void AddOrUpdate(int sourceId, string cron) =>
        recurring.AddOrUpdate<ApprovalListSyncJob>(RecurringId(sourceId), j => j.RunAsync(sourceId, CancellationToken.None), cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

    public void Remove(int sourceId) => recurring.RemoveIfExists(RecurringId(sourceId));

    public void TriggerNow(int sourceId) => jobs.Enqueue<ApprovalListSyncJob>(j => j.RunAsync(sourceId, CancellationToken.None));
}
