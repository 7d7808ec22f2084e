namespace Compliance.Domain;

/// <summary>
/// A creating API request sent with an <c>Idempotency-Key</c>: the first one's answer, replayed to a retry with the
/// same key (so a retried request creates one row). Kept a day.
/// </summary>
public class IdempotentRequest
{
    public long Id { get; set; }

    /// <summary>The caller's stable subject (or client id): keys are per caller.</summary>
    public required string Caller { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of method, path and body: the same key with a different request is refused.</summary>
    public required string RequestHash { get; set; }

    /// <summary>Null while the first request is still being answered.</summary>
    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public string? Body { get; set; }

    public DateTime CreatedAt { get; set; }
}
