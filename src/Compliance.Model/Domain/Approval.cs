namespace Compliance.Domain;

/// <summary>
/// A model approved up to an impact level, for data categories and usages, optionally only for some
/// sectors or customers, valid over a period. Requester and approver are different people (four-eyes).
/// </summary>
public class Approval : IVersioned
{
    public int Id { get; set; }

    public int ModelId { get; set; }

    public Model? Model { get; set; }

    public ApprovalStatus Status { get; set; }

    public ImpactLevel MaxImpactLevel { get; set; }

    public DataCategories DataCategories { get; set; }

    public Usages Usages { get; set; } = Usages.All;

    /// <summary>Sectors the approval is limited to; <see cref="Sectors.None"/> means any sector.</summary>
    public Sectors Sectors { get; set; }

    /// <summary>Customers the approval is limited to; empty means any customer.</summary>
    public List<int> CustomerIds { get; set; } = [];

    /// <summary>Hostings the approval is limited to, as models name them (e.g. only "AWS Bedrock GovCloud"); empty means any hosting.</summary>
    public List<string> Hostings { get; set; } = [];

    public DateTime ValidFrom { get; set; }

    /// <summary>Exclusive end; null means open-ended.</summary>
    public DateTime? ValidUntil { get; set; }

    public string? Conditions { get; set; }

    public string Justification { get; set; } = "";

    public required string RequestedBy { get; set; }

    public DateTime RequestedAt { get; set; }

    public string? DecidedBy { get; set; }

    public DateTime? DecidedAt { get; set; }

    public string? DecisionReason { get; set; }

    /// <summary>The approval this one renews (pre-filled from it, decided like any request).</summary>
    public int? RenewalOfId { get; set; }

    /// <summary>Set when the entry came from an approval list source: read-only in the UI.</summary>
    public int? SourceId { get; set; }

    public ApprovalListSource? Source { get; set; }

    public string? SourceEntryKey { get; set; }

    public int Version { get; set; }

    public bool IsValidAt(DateTime at) => ValidFrom <= at && (ValidUntil is null || at < ValidUntil);

    public bool CoversCustomer(int customerId, Sector sector) =>
        Sectors.Covers(sector) && (CustomerIds.Count == 0 || CustomerIds.Contains(customerId));
}
