using Compliance.Domain;
using Hangfire;

namespace Compliance.Web.Features.Checks;

/// <summary>The check as a Hangfire job: recurring (<c>Checks:Schedule</c>) and triggered after changes. Idempotent; honours cancellation.</summary>
public sealed class CheckJob(CheckRunner runner)
{
    public const string RecurringId = "compliance-check";

    [DisableConcurrentExecution(timeoutInSeconds: 15 * 60)]
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunScheduledAsync(CancellationToken ct) => runner.RunAsync(CheckTrigger.Scheduled, ct);

    [DisableConcurrentExecution(timeoutInSeconds: 15 * 60)]
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunAfterChangeAsync(CancellationToken ct) => runner.RunAsync(CheckTrigger.Change, ct);
}
