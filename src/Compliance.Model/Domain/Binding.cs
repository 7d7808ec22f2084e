namespace Compliance.Domain;

/// <summary>"Model M serves workload W" from a date (to a date). The inventory is the set of bindings.</summary>
public class Binding
{
    public int Id { get; set; }

    public int ModelId { get; set; }

    public Model? Model { get; set; }

    public int WorkloadId { get; set; }

    public Workload? Workload { get; set; }

    public Usage Usage { get; set; } = Usage.Inference;

    public string Purpose { get; set; } = "";

    public DateTime From { get; set; }

    /// <summary>Exclusive end; null while the binding is in force.</summary>
    public DateTime? To { get; set; }

    // Copies of the workload's, customer's and model's attributes, kept in step by the database (triggers in both
    // migration sets), never written by the app: the inventory grid sorts and filters a million bindings on them
    // through one index each, where sorting through the joins costs a sort of the whole inventory per page.

    /// <summary>The workload's customer (database-maintained copy).</summary>
    public int CustomerId { get; private set; }

    /// <summary>The customer's name (database-maintained copy, for sorting).</summary>
    public string CustomerName { get; private set; } = "";

    /// <summary>The workload's name (database-maintained copy, for sorting).</summary>
    public string WorkloadName { get; private set; } = "";

    /// <summary>The workload's impact level (database-maintained copy, for filtering and sorting).</summary>
    public ImpactLevel ImpactLevel { get; private set; }

    /// <summary>The model's display name (database-maintained copy, for sorting).</summary>
    public string ModelName { get; private set; } = "";

    public bool IsActiveAt(DateTime at) => From <= at && (To is null || at < To);
}
