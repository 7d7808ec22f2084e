using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Notifications;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Notifications;

/// <summary>The app host wires notifications to its own Hangfire storage, even with <c>Jobs:Enabled</c> false.</summary>
[Collection(HangfireStorageCollection.Name)]
public sealed class NotificationsSetupTests : IClassFixture<NotificationsSetupTests.Factory>
{
    private readonly Factory _factory;

    public NotificationsSetupTests(Factory factory) => _factory = factory;

    public sealed class Factory : ComplianceAppFactory
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Notifications:Webhooks:0:Url"] = "http://127.0.0.1:9/hook";
                settings["Notifications:Webhooks:0:Secret"] = "setup-test-secret";
                settings["Notifications:Webhooks:0:Events:0"] = NotificationEvent.CriticalFindingOpened;
                return settings;
            }
        }
    }

    [Fact]
    public async Task A_check_job_after_a_run_queues_one_delivery_per_subscribed_webhook_in_the_apps_storage()
    {
        using var scope = _factory.Services.CreateScope();
        var job = scope.ServiceProvider.GetRequiredService<CheckJob>(); // resolves the notifier, publisher and ledger
        var storage = scope.ServiceProvider.GetRequiredService<JobStorage>();
        var before = storage.GetMonitoringApi().EnqueuedCount("default");

        await job.RunAfterChangeAsync(CancellationToken.None);

        // One dispatch job per event the run published (finding.opened and finding.critical.opened over the demo data),
        // each fanning out to its webhooks when it runs, and the comparison of the current attestations with the new
        // state (issue 14).
        var enqueued = storage.GetMonitoringApi().EnqueuedJobs("default", 0, 1000);
        var queued = enqueued.Select(j => j.Value.Job).Where(j => j?.Method.Name == nameof(NotificationDispatch.DispatchAsync)).ToList();
        Assert.Equal(before + 3, storage.GetMonitoringApi().EnqueuedCount("default"));
        Assert.Contains(queued, j => (string)j!.Args[0] == NotificationEvents.CriticalFindingOpened);
        Assert.Contains(queued, j => (string)j!.Args[0] == NotificationEvents.FindingOpened);
        Assert.Contains(enqueued, j => j.Value.Job?.Type == typeof(Compliance.Web.Features.Attestations.AttestationStaleness));
        var ledger = scope.ServiceProvider.GetRequiredService<INotificationLedger>();
        var day = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.True(ledger.TryClaim("setup-test", day));
        Assert.False(ledger.TryClaim("setup-test", day));
        // Not subscribed to deadlines: the daily job has nothing to do.
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<CheckNotifier>().DeadlinesApproachingAsync(CancellationToken.None));
    }
}
