using Compliance.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Notifications;

/// <summary>
/// The Hangfire job that fans one published event out: one <see cref="WebhookDelivery"/> job per webhook that wants it
/// (configured in appsettings or managed in the UI and enabled), and the emails <see cref="NotificationEmails"/> decides.
/// Each delivery is its own job, so one receiver being down retries only its own post.
/// </summary>
public sealed class NotificationDispatch(
    IDbContextFactory<ComplianceDb> factory,
    IBackgroundJobClient jobs,
    IOptions<NotificationOptions> options,
    NotificationEmails emails,
    ILogger<NotificationDispatch> log)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task<int> DispatchAsync(string type, string eventId, string body, CancellationToken ct)
    {
        var queued = 0;
        foreach (var webhook in options.Value.Webhooks.Where(w => w.Wants(type)))
        {
            if (string.IsNullOrWhiteSpace(webhook.Url) || string.IsNullOrEmpty(webhook.Secret))
            {
                log.LogWarning("Webhook {Url} has no URL or no secret; event {Type} not sent to it", WebhookOptions.ForLog(webhook.Url), type);
                continue;
            }

            jobs.Enqueue<WebhookDelivery>(d => d.DeliverAsync(webhook.Url, type, eventId, body, CancellationToken.None));
            queued++;
        }

        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var managed = await db.Webhooks.AsNoTracking().Where(w => w.Enabled).Select(w => new { w.Id, w.Events }).ToListAsync(ct);
            foreach (var webhook in managed.Where(w => Domain.Webhook.Subscribes(w.Events, type)))
            {
                jobs.Enqueue<WebhookDelivery>(d => d.DeliverToAsync(webhook.Id, type, eventId, body, CancellationToken.None));
                queued++;
            }
        }

        var mails = await emails.QueueAsync(type, body, ct);
        log.LogInformation("Event {Type} {Id}: {Webhooks} webhook deliveries and {Emails} emails queued", type, eventId, queued, mails);
        return queued;
    }
}
