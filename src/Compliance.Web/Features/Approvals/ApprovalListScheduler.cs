using System.Threading.Channels;

namespace Compliance.Web.Features.Approvals;

/// <summary>
/// Schedules approval-list syncs. The production implementation registers a Hangfire recurring job per
/// source (id <c>approval-list-{sourceId}</c>) that calls <see cref="ApprovalListSyncJob.RunAsync"/>.
/// </summary>
public interface IApprovalListScheduler
{
    /// <summary>Creates or replaces the recurring sync of a source on a cron expression (UTC).</summary>
    void AddOrUpdate(int sourceId, string cron);

    /// <summary>Stops the recurring sync of a source.</summary>
    void Remove(int sourceId);

    /// <summary>Runs a sync of the source as soon as possible, in the background; the sync row records its outcome.</summary>
    void TriggerNow(int sourceId);
}

/// <summary>
/// Runs "sync now" in this process through a queue and a hosted background worker, one sync at a time.
/// It keeps no recurring schedules: those need the Hangfire scheduler.
/// </summary>
public sealed class InProcessApprovalListScheduler(IServiceScopeFactory scopes, ILogger<InProcessApprovalListScheduler> log) : BackgroundService, IApprovalListScheduler
{
    private readonly Channel<int> _queue = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });

    public void AddOrUpdate(int sourceId, string cron) =>
        log.LogInformation("Approval list source {SourceId} wants the schedule '{Cron}'; the in-process scheduler runs syncs only on demand (recurring syncs need Hangfire)", sourceId, cron);

    public void Remove(int sourceId) =>
        log.LogInformation("Approval list source {SourceId} has no recurring sync any more", sourceId);

    public void TriggerNow(int sourceId) => _queue.Writer.TryWrite(sourceId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var sourceId in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ApprovalListSyncJob>().RunAsync(sourceId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError(e, "Sync of approval list source {SourceId} failed unexpectedly", sourceId);
            }
        }
    }
}
