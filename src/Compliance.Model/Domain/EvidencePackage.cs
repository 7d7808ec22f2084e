namespace Compliance.Domain;

/// <summary>One evidence package built for an auditor: whose inventory, which period, by whom, and the ZIP's SHA-256.</summary>
public class EvidencePackage
{
    public int Id { get; set; }

    /// <summary>The customer the package covers; null for the whole inventory.</summary>
    public int? CustomerId { get; set; }

    public DateTime PeriodFrom { get; set; }

    /// <summary>Exclusive end of the period.</summary>
    public DateTime PeriodUntil { get; set; }

    public required string BuiltBy { get; set; }

    public DateTime BuiltAt { get; set; }

    public required string Sha256 { get; set; }

    public long SizeBytes { get; set; }
}
