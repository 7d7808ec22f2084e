using Compliance.Domain;
using Compliance.Web.Features.Notifications;
using Hangfire;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// The check as a Hangfire job: recurring (<c>Checks:Schedule</c>) and triggered after changes. Idempotent; honours
/// cancellation. After a run, the critical findings it opened go to the webhooks, and the attestations are compared
/// with the new state (<see cref="Attestations.AttestationStaleness"/>). Runs are serialised by the runner itself
/// (<see cref="CheckRunLock"/>), not by Hangfire's DisableConcurrentExecution: the SQLite storage's lock of a killed
/// process blocks the restarted one for a tenth of the lock timeout (90 s for 15 min) before it looks again.
/// Then today's daily posture (<see cref="Dashboard.PostureRollup"/>) is rolled up again from the new findings.
/// </summary>
public sealed class CheckJob(
    CheckRunner runner, CheckNotifier notifier, Attestations.AttestationStalenessTrigger staleness,
    Dashboard.PostureRollup? rollup = null, ILogger<CheckJob>? log = null)
{
    public const string RecurringId = "compliance-check";

    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunScheduledAsync(CancellationToken ct) => RunAsync(CheckTrigger.Scheduled, ct);

    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunAfterChangeAsync(CancellationToken ct) => RunAsync(CheckTrigger.Change, ct);

    private async Task RunAsync(CheckTrigger trigger, CancellationToken ct)
    {
        CheckRun run;
        try
        {
            run = await runner.RunAsync(trigger, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            notifier.RunFailed(trigger, ex);
            throw;
        }

        await notifier.AfterCheckAsync(run, ct);
        // Attestations follow change: each current one is compared with what the inventory states now.
        staleness.AfterCheck();
        await RollUpTodayAsync(ct);
    }

    /// <summary>A failed roll-up fails nothing of the check: the day's row is written again by the next run or the nightly job.</summary>
    private async Task RollUpTodayAsync(CancellationToken ct)
    {
        if (rollup is null)
        {
            return;
        }

        try
        {
            await rollup.RollUpAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log?.LogError(ex, "The daily posture roll-up after the check failed; the next check or the nightly job writes it");
        }
    }
}
