namespace Compliance.Domain;

/// <summary>
/// One verification of the audit trail (the Hangfire job or an auditor's request): the chain walked, the anchors
/// compared, the data compared with the trail. Kept so <c>/audit</c> and <c>/health</c> can say when the trail was
/// last proven intact and what head it had then. Not itself audited: it reports on the trail, and its head is also
/// written to the external anchors.
/// </summary>
public class AuditVerification
{
    public int Id { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public AuditVerificationStatus Status { get; set; }

    /// <summary>Who asked (subject), or <c>system:audit-verification</c> for the schedule.</summary>
    public required string RequestedBy { get; set; }

    /// <summary>What the running job is doing now ("Walking the chain: 120,000 events").</summary>
    public string? Progress { get; set; }

    public long EventsChecked { get; set; }

    /// <summary>The last event the walk found intact, and its hash: the head when the chain is whole.</summary>
    public long HeadEventId { get; set; }

    public string? HeadHash { get; set; }

    /// <summary>The first broken event, when the chain breaks.</summary>
    public long? BreakEventId { get; set; }

    public int AnchorsChecked { get; set; }

    /// <summary>Anchors (attestations, the anchor file) whose event is missing or differs: a cut or a rewrite.</summary>
    public int AnchorBreaks { get; set; }

    /// <summary>Rows edited, inserted or deleted outside the application.</summary>
    public int DriftRows { get; set; }

    /// <summary>The first problems found, one a line; empty when the trail is intact.</summary>
    public string? Problems { get; set; }
}
