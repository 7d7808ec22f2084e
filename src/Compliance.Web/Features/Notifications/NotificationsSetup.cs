using Compliance.Web.Jobs;
using Compliance.Web.Jobs.Outbound;
using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Compliance.Web.Features.Notifications;

public static class NotificationsSetup
{
    /// <summary>
    /// Events published by the features (<see cref="INotificationPublisher"/>), fanned out to signed webhooks
    /// (section <c>Notifications:Webhooks</c> and those administrators manage at <c>/notifications/webhooks</c>) and emails.
    /// </summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<NotificationOptions>(builder.Configuration.GetSection("Notifications"));
        // Receivers choose their URLs and may redirect: same SSRF guard as list sources (no redirects, public addresses, https).
        builder.Services.AddHttpClient<WebhookDelivery>(http => http.Timeout = TimeSpan.FromSeconds(30)).AddOutboundGuard();
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddTransient<WebhookService>();
        builder.Services.AddTransient<NotificationDispatch>();
        builder.Services.Configure<SmtpOptions>(builder.Configuration.GetSection("Notifications:Smtp"));
        builder.Services.AddSingleton<NotificationRecipients>();
        builder.Services.AddSingleton<NotificationEmails>();
        builder.Services.AddSingleton<NotificationPreferenceService>();
        builder.Services.AddTransient<EmailSender>();
        builder.Services.AddSingleton<OfficerDigest>();
        builder.Services.AddSingleton<INotificationPublisher, HangfireNotificationPublisher>();
        builder.Services.AddSingleton<INotificationLedger>(sp => new HangfireNotificationLedger(sp.GetRequiredService<JobStorage>()));
        builder.Services.AddSingleton<CheckNotifier>();
        // Restrictions whose transition deadline is near, announced once a day.
        builder.Services.AddRecurringJobs((jobs, services) => jobs.AddOrUpdate<CheckNotifier>(
            CheckNotifier.DeadlineJobId, n => n.DeadlinesApproachingAsync(CancellationToken.None),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationOptions>>().Value.DeadlineSchedule, RecurringJobs.Utc));
        builder.Services.AddRecurringJobs((jobs, services) => jobs.AddOrUpdate<OfficerDigest>(
            OfficerDigest.JobId, d => d.SendAsync(CancellationToken.None),
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SmtpOptions>>().Value.DigestSchedule, RecurringJobs.Utc));
        return builder;
    }
}
