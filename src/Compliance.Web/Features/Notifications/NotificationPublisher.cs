using Hangfire;

namespace Compliance.Web.Features.Notifications;

/// <summary>
/// The one way a feature announces something: <c>publisher.Publish(NotificationEvents.X, payload)</c>. Webhooks
/// (configured and managed in the UI) and emails are decided later by <see cref="NotificationDispatch"/>.
/// </summary>
public interface INotificationPublisher
{
    /// <summary>Announces <paramref name="payload"/> (any JSON-serialisable object, the event's <c>data</c>) as <paramref name="eventType"/>. Never throws.</summary>
    NotificationEvent? Publish(string eventType, object payload);

    /// <summary>Announces a ready event; returns 1 when queued, 0 when it could not be.</summary>
    int Publish(NotificationEvent notification);
}

/// <summary>
/// Serialises the event once (every webhook and every retry gets the same bytes) and queues one Hangfire job,
/// <see cref="NotificationDispatch"/>, which fans it out. Queuing is cheap and never touches the caller's database
/// transaction; jobs are queued even when this process runs no Hangfire server (a server sharing the storage runs them).
/// A failure to queue is logged and swallowed: announcing never undoes the change it announces.
/// </summary>
public sealed class HangfireNotificationPublisher(IBackgroundJobClient jobs, TimeProvider clock, ILogger<HangfireNotificationPublisher> log) : INotificationPublisher
{
    public NotificationEvent? Publish(string eventType, object payload)
    {
        var notification = NotificationEvent.Create(eventType, clock.GetUtcNow().UtcDateTime, payload);
        return Publish(notification) == 1 ? notification : null;
    }

    public int Publish(NotificationEvent notification)
    {
        try
        {
            var body = notification.ToJson();
            jobs.Enqueue<NotificationDispatch>(d => d.DispatchAsync(notification.Type, notification.Id, body, CancellationToken.None));
            log.LogInformation("Event {Type} {Id} published", notification.Type, notification.Id);
            return 1;
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Could not publish event {Type} {Id}", notification.Type, notification.Id);
            return 0;
        }
    }
}
