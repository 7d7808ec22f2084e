using Compliance.Web.Jobs;
using Compliance.Web.Jobs.Outbound;
using Hangfire;

namespace Compliance.Web.Features.Checks.Notifications;

public static class NotificationsSetup
{
    /// <summary>Signed webhooks for new critical findings and approaching restriction deadlines (section <c>Notifications</c>).</summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<NotificationOptions>(builder.Configuration.GetSection("Notifications"));
        // Webhook URLs come from configuration, but a receiver may redirect: same SSRF guard as list sources.
        builder.Services.AddHttpClient<WebhookDelivery>(http => http.Timeout = TimeSpan.FromSeconds(30)).AddOutboundGuard();
        builder.Services.AddSingleton<INotificationPublisher, HangfireNotificationPublisher>();
        builder.Services.AddSingleton<INotificationLedger>(sp => new HangfireNotificationLedger(sp.GetRequiredService<JobStorage>()));
        builder.Services.AddSingleton<CheckNotifier>();
        // Restrictions whose transition deadline is near, announced to the webhooks once a day.
        builder.Services.AddRecurringJobs((jobs, services) => jobs.AddOrUpdate<CheckNotifier>(
            CheckNotifier.DeadlineJobId, n => n.DeadlinesApproachingAsync(CancellationToken.None),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationOptions>>().Value.DeadlineSchedule, RecurringJobs.Utc));
        return builder;
    }
}
