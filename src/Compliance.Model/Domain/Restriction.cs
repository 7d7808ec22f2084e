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

    /// <summary>Usages in scope (e.g. only coding assistants); <see cref="Usages.All"/> or <see cref="Usages.None"/> means any usage.</summary>
    public Usages Usages { get; set; } = Usages.All;

    /// <summary>Hostings in scope, as models name them (e.g. "AWS Bedrock" but not "AWS Bedrock GovCloud"); empty means any hosting.</summary>
    public List<string> Hostings { get; set; } = [];

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

    /// <summary>A later deadline asked for (with <see cref="DeadlineExtensionReason"/>); another administrator confirms it (four-eyes).</summary>
    public DateTime? DeadlineExtensionTo { get; set; }

    public string? DeadlineExtensionRequestedBy { get; set; }

    public DateTime? DeadlineExtensionRequestedAt { get; set; }

    public string? DeadlineExtensionReason { get; set; }

    public int? SourceId { get; set; }

    public ApprovalListSource? Source { get; set; }

    public string? SourceEntryKey { get; set; }

    public int Version { get; set; }

    /// <summary>Whether the scope's usages and hostings take in a binding of this usage on a model of this hosting.</summary>
    public bool CoversUse(Usage usage, string hosting) => Usages.CoversAsScope(usage) && Hostings.CoversHosting(hosting);

    public bool IsInEffectAt(DateTime at) => EffectiveFrom <= at && (LiftedAt is null || at < LiftedAt);
}
