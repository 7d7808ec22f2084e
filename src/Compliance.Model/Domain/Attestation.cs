namespace Compliance.Domain;

/// <summary>
/// A customer's signed statement of its workloads, models and compliance at a time: a frozen JSON
/// snapshot and the PDF rendered from it. Never edited: only superseded or withdrawn.
/// </summary>
public class Attestation
{
    public int Id { get; set; }

    public int CustomerId { get; set; }

    public Customer? Customer { get; set; }

    /// <summary>Public code printed on the PDF and used at <c>/verify/{code}</c>.</summary>
    public required string VerificationCode { get; set; }

    public required string Statement { get; set; }

    public required string IssuedBy { get; set; }

    public DateTime IssuedAt { get; set; }

    public DateTime AsOf { get; set; }

    public int? CheckRunId { get; set; }

    public required string SnapshotJson { get; set; }

    public required string SnapshotSha256 { get; set; }

    public required byte[] Pdf { get; set; }

    public required string PdfSha256 { get; set; }

    /// <summary>Signed with the self-signed development certificate, not the organisation's.</summary>
    public bool IsDevelopmentCopy { get; set; }

    public AttestationStatus Status { get; set; }

    public int? SupersededById { get; set; }

    public DateTime? WithdrawnAt { get; set; }

    public string? WithdrawnBy { get; set; }

    public string? WithdrawalReason { get; set; }

    /// <summary>
    /// When a later evaluation first stopped agreeing with this attestation's statement (null while it still holds).
    /// Set by the staleness job after a check run; the content stays as issued.
    /// </summary>
    public DateTime? StaleSince { get; set; }

    /// <summary>Why the statement no longer holds, in words (bindings added or ended, statuses changed, models replaced…).</summary>
    public string? StaleReason { get; set; }
}

/// <summary>Who downloaded which attestation, when, in which form.</summary>
public class AttestationDownload
{
    public long Id { get; set; }

    public int AttestationId { get; set; }

    public required string DownloadedBy { get; set; }

    public DateTime At { get; set; }

    /// <summary><c>pdf</c> or <c>json</c>.</summary>
    public required string Format { get; set; }
}
