namespace Compliance.Domain;

/// <summary>
/// A deny rule: a model, or every model of a provider, is not allowed for a scope from a date, with a
/// deadline by which affected bindings must have moved. A restriction always beats an approval.
/// </summary>
public class Restriction : IVersioned
{
    public int Id { get; set; }

    /// <summary>The restricted model; null when the whole <see cref="Provider"/> is restricted.</summary>
    public int? ModelId { get; set; }

    public Model? Model { get; set; }

    /// <summary>The restricted provider, when <see cref="ModelId"/> is null.</summary>
    public string? Provider { get; set; }

    /// <summary>Sectors in scope; <see cref="Sectors.None"/> means any sector.</summary>
    public Sectors Sectors { get; set; }

    /// <summary>Customers in scope; empty means any customer.</summary>
    public List<int> CustomerIds { get; set; } = [];

    /// <summary>Applies to workloads at this level and above.</summary>
    public ImpactLevel MinImpactLevel { get; set; }

    public DateTime EffectiveFrom { get; set; }

    public DateTime TransitionDeadline { get; set; }

    public required string Reason { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public string? LiftedBy { get; set; }

    /// <summary>Lifting widens what is allowed, so one administrator requests it and another confirms it (four-eyes).</summary>
    public string? LiftRequestedBy { get; set; }

    public DateTime? LiftRequestedAt { get; set; }

    public string? LiftRequestReason { get; set; }

    public DateTime? LiftedAt { get; set; }

    public string? LiftReason { get; set; }

    public int? SourceId { get; set; }

    public ApprovalListSource? Source { get; set; }

    public string? SourceEntryKey { get; set; }

    public int Version { get; set; }

    public bool IsInEffectAt(DateTime at) => EffectiveFrom <= at && (LiftedAt is null || at < LiftedAt);
}
