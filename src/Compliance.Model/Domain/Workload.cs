namespace Compliance.Domain;

/// <summary>A named system that uses AI for a customer.</summary>
public class Workload
{
    public int Id { get; set; }

    public int CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public required string Name { get; set; }

    /// <summary>
    /// The workload's own unique key, set by its people (e.g. the customer's system id): how a pipeline names it in a
    /// decision without knowing our numeric id. Null when none is set.
    /// </summary>
    public string? Key { get; set; }

    public string Owner { get; set; } = "";

    /// <summary>Where the owner's notifications go (restrictions hitting the workload, approaching deadlines).</summary>
    public string? OwnerEmail { get; set; }

    /// <summary>Production, Staging, Development…</summary>
    public string Environment { get; set; } = "Production";

    public ImpactLevel ImpactLevel { get; set; }

    public DataCategories DataCategories { get; set; }

    public string? Description { get; set; }
}
