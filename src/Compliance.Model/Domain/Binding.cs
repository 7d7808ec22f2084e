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

    public bool IsActiveAt(DateTime at) => From <= at && (To is null || at < To);
}
