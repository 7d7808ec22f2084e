namespace Compliance.Domain;

/// <summary>
/// A receiver of signed event posts, managed by administrators in the UI. Its signing secret is stored only
/// protected (ASP.NET Data Protection, the key ring in this database) and shown once, when it is created.
/// </summary>
public class Webhook
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public required string Url { get; set; }

    /// <summary>Event types it receives, comma-separated; empty: every type.</summary>
    public string Events { get; set; } = "";

    public bool Enabled { get; set; } = true;

    /// <summary>The secret, protected; a byte array, so the audit trail records its hash, never its value.</summary>
    public required byte[] ProtectedSecret { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool Wants(string type) => Subscribes(Events, type);

    /// <summary>Whether a comma-separated subscription list (empty: every type) includes <paramref name="type"/>.</summary>
    public static bool Subscribes(string events, string type) =>
        events.Length == 0 || events.Split(',', StringSplitOptions.TrimEntries).Contains(type, StringComparer.OrdinalIgnoreCase);
}

/// <summary>One attempt to post an event to a webhook: what it answered and how long it took.</summary>
public class WebhookDeliveryRecord
{
    public long Id { get; set; }

    public int WebhookId { get; set; }

    public required string EventId { get; set; }

    public required string EventType { get; set; }

    public DateTime At { get; set; }

    /// <summary>The HTTP status answered; null when no answer came (refused, unreachable, timed out).</summary>
    public int? StatusCode { get; set; }

    public int DurationMs { get; set; }

    public string? Error { get; set; }
}

/// <summary>Which emails a signed-in person wants, by subject (no row: every kind).</summary>
public class NotificationPreference
{
    public required string Subject { get; set; }

    /// <summary>Restrictions hitting a workload they own or their organisation's, and approaching deadlines.</summary>
    public bool RestrictionEmails { get; set; } = true;

    /// <summary>Approval requests waiting for an administrator.</summary>
    public bool ApprovalEmails { get; set; } = true;

    /// <summary>The officers' daily digest.</summary>
    public bool DailyDigest { get; set; } = true;
}
