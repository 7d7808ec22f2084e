using Compliance.Domain;
using Compliance.Web.Features.Checks.Notifications;
using Hangfire;

namespace Compliance.Web.Features.Checks;

/// <summary>
/// The check as a Hangfire job: recurring (<c>Checks:Schedule</c>) and triggered after changes. Idempotent; honours
/// cancellation. After a run, the critical findings it opened go to the webhooks, and the attestations are compared
/// with the new state (<see cref="Attestations.AttestationStaleness"/>).
/// </summary>
public sealed class CheckJob(CheckRunner runner, CheckNotifier notifier, Attestations.AttestationStalenessTrigger staleness)
{
    public const string RecurringId = "compliance-check";

    [DisableConcurrentExecution(timeoutInSeconds: 15 * 60)]
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunScheduledAsync(CancellationToken ct) => RunAsync(CheckTrigger.Scheduled, ct);

    [DisableConcurrentExecution(timeoutInSeconds: 15 * 60)]
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunAfterChangeAsync(CancellationToken ct) => RunAsync(CheckTrigger.Change, ct);

    private async Task RunAsync(CheckTrigger trigger, CancellationToken ct)
    {
        var run = await runner.RunAsync(trigger, ct);
        await notifier.AfterCheckAsync(run, ct);
        // Attestations follow change: each current one is compared with what the inventory states now.
        staleness.AfterCheck();
    }
}
