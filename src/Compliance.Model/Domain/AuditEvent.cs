namespace Compliance.Domain;

/// <summary>
/// One change to a domain entity. Append-only and hash-chained: <see cref="Hash"/> covers this event's
/// content and <see cref="PreviousHash"/>, so editing or deleting any row breaks the chain after it.
/// </summary>
public class AuditEvent
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    /// <summary>The actor's stable subject (or <c>system:…</c> for jobs).</summary>
    public required string User { get; set; }

    /// <summary>The actor's display name at the time, shown beside the subject; null when unknown.</summary>
    public string? UserName { get; set; }

    public AuditAction Action { get; set; }

    public required string Entity { get; set; }

    public required string EntityKey { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }

    public string? Reason { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}
