namespace Compliance.Domain;

/// <summary>A named system that uses AI for a customer.</summary>
public class Workload
{
    public int Id { get; set; }

    public int CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public required string Name { get; set; }

    public string Owner { get; set; } = "";

    /// <summary>Where the owner's notifications go (restrictions hitting the workload, approaching deadlines).</summary>
    public string? OwnerEmail { get; set; }

    /// <summary>Production, Staging, Development…</summary>
    public string Environment { get; set; } = "Production";

    public ImpactLevel ImpactLevel { get; set; }

    public DataCategories DataCategories { get; set; }

    public string? Description { get; set; }
}
