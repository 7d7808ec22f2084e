using Hangfire;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Checks.Notifications;

/// <summary>Hands an event to every webhook that wants it.</summary>
public interface INotificationPublisher
{
    /// <summary>Returns how many deliveries were queued.</summary>
    int Publish(NotificationEvent notification);
}

/// <summary>
/// One Hangfire job per (event, webhook): the body is serialised here once, the job carries the URL and the body
/// (never the secret, which the job reads from configuration), and Hangfire's retries handle a receiver that is down.
/// Jobs are queued even when this process runs no Hangfire server (<c>Jobs:Enabled</c> false): a server sharing the
/// storage delivers them.
/// </summary>
public sealed class HangfireNotificationPublisher(
    IBackgroundJobClient jobs, IOptions<NotificationOptions> options, ILogger<HangfireNotificationPublisher> log) : INotificationPublisher
{
    public int Publish(NotificationEvent notification)
    {
        var body = notification.ToJson();
        var queued = 0;
        foreach (var webhook in options.Value.Webhooks.Where(w => w.Wants(notification.Type)))
        {
            if (string.IsNullOrWhiteSpace(webhook.Url) || string.IsNullOrEmpty(webhook.Secret))
            {
                log.LogWarning("Webhook {Url} has no URL or no secret; event {Type} not sent to it", WebhookOptions.ForLog(webhook.Url), notification.Type);
                continue;
            }

            jobs.Enqueue<WebhookDelivery>(d => d.DeliverAsync(webhook.Url, notification.Type, notification.Id, body, CancellationToken.None));
            queued++;
        }

        if (queued > 0)
        {
            log.LogInformation("Event {Type} {Id} queued for {Count} webhooks", notification.Type, notification.Id, queued);
        }

        return queued;
    }
}
