namespace Compliance.Domain;

/// <summary>The move of a restricted binding to an approved model, by a date no later than the restriction's deadline.</summary>
public class TransitionPlan : IVersioned
{
    public int Id { get; set; }

    public int BindingId { get; set; }

    public Binding? Binding { get; set; }

    public int RestrictionId { get; set; }

    public Restriction? Restriction { get; set; }

    public int TargetModelId { get; set; }

    public Model? TargetModel { get; set; }

    public required string Owner { get; set; }

    public DateTime TargetDate { get; set; }

    public TransitionStatus Status { get; set; }

    public string? Notes { get; set; }

    /// <summary>The binding that replaced the old one once the plan is done.</summary>
    public int? NewBindingId { get; set; }

    public DateTime? CompletedAt { get; set; }

    /// <summary>When the owner was told the plan is past its target date: once per plan.</summary>
    public DateTime? OverdueNotifiedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public int Version { get; set; }
}
