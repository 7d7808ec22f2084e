namespace Compliance.Web.Features.Notifications;

/// <summary>Configuration section <c>Notifications</c>.</summary>
public sealed class NotificationOptions
{
    /// <summary><c>Notifications:Webhooks</c>: where events are posted.</summary>
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary><c>Notifications:MaxFindingsPerEvent</c>: finding summaries in one <c>finding.critical.opened</c> event (the total is always given).</summary>
    public int MaxFindingsPerEvent { get; set; } = 20;

    /// <summary><c>Notifications:DeadlineWindowDays</c>: a restriction's deadline within this many days is "approaching".</summary>
    public int DeadlineWindowDays { get; set; } = 7;

    /// <summary><c>Notifications:DeadlineSchedule</c>: cron (UTC) of the daily deadline check.</summary>
    public string DeadlineSchedule { get; set; } = "0 7 * * *";
}

/// <summary>One receiver: its URL, the shared secret that signs the body, and the event types it wants (empty: all).</summary>
public sealed class WebhookOptions
{
    public string Url { get; set; } = "";

    /// <summary>HMAC-SHA256 key. Never logged, never stored with the job.</summary>
    public string Secret { get; set; } = "";

    public List<string> Events { get; set; } = [];

    public bool Wants(string type) => Events.Count == 0 || Events.Contains(type, StringComparer.OrdinalIgnoreCase);

    /// <summary>The URL without its query string or user info, for logs (a query may carry a token).</summary>
    public static string ForLog(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{uri.Port}{uri.AbsolutePath}" : "(invalid URL)";
}
