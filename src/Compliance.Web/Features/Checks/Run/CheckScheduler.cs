using Hangfire;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// What feature code calls after changing bindings, approvals, restrictions or models: <see cref="RequestSoon"/>
/// drops the decision API's cached reference data and schedules one check a few seconds later. A burst of changes
/// inside that delay shares the one check (it reads the state when it starts, so it sees all of them).
/// </summary>
public sealed class CheckScheduler(
    IBackgroundJobClient jobs,
    ReferenceDataCache cache,
    IOptions<CheckOptions> options,
    TimeProvider clock,
    ILogger<CheckScheduler>? log = null)
{
    private readonly Lock _gate = new();
    private DateTime _pendingUntil = DateTime.MinValue;

    /// <summary>The id of the job scheduled by the last request that was not coalesced (for tests and logs).</summary>
    public string? LastJobId { get; private set; }

    /// <summary>
    /// Returns true when a new check was scheduled, false when the pending one covers this change (or the job
    /// storage is unreachable: the change is saved and the recurring check will see it; the failure is logged).
    /// </summary>
    public bool RequestSoon()
    {
        cache.Invalidate();
        var delay = TimeSpan.FromSeconds(Math.Max(0, options.Value.TriggerDelaySeconds));
        var now = clock.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            if (now < _pendingUntil)
            {
                return false;
            }

            try
            {
                // No delay: straight to the queue, not through the schedule poller (and its lock) first.
                LastJobId = delay == TimeSpan.Zero
                    ? jobs.Enqueue<CheckJob>(j => j.RunAfterChangeAsync(CancellationToken.None))
                    : jobs.Schedule<CheckJob>(j => j.RunAfterChangeAsync(CancellationToken.None), delay);
                _pendingUntil = now + delay;
                return true;
            }
            catch (Exception ex)
            {
                log?.LogWarning(ex, "Could not schedule a check after a change; the recurring check will evaluate it.");
                return false;
            }
        }
    }
}
