namespace Compliance.Domain;

/// <summary>
/// One binding breaking one rule. Keyed by (binding, rule): a re-run updates it, never duplicates it,
/// and resolves it when the rule stops failing.
/// </summary>
public class Finding
{
    public long Id { get; set; }

    public int BindingId { get; set; }

    public Binding? Binding { get; set; }

    public FindingRule Rule { get; set; }

    public Severity Severity { get; set; }

    public FindingStatus Status { get; set; }

    public DateTime FirstSeen { get; set; }

    public DateTime LastSeen { get; set; }

    public DateTime? ResolvedAt { get; set; }

    /// <summary>The rule's explanation for this binding, in plain words.</summary>
    public string Detail { get; set; } = "";

    /// <summary>The restriction behind a <see cref="FindingRule.Restricted"/> finding.</summary>
    public int? RestrictionId { get; set; }

    /// <summary>The approval the finding is about (expired, expiring, not covering), when there is one.</summary>
    public int? ApprovalId { get; set; }

    public int? LastCheckRunId { get; set; }
}
