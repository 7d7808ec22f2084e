namespace Compliance.Domain;

/// <summary>One evaluation of every binding.</summary>
public class CheckRun
{
    public int Id { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public CheckRunStatus Status { get; set; }

    public CheckTrigger Trigger { get; set; }

    public int BindingsEvaluated { get; set; }

    public int CompliantBindings { get; set; }

    public int FindingsOpened { get; set; }

    public int FindingsResolved { get; set; }

    /// <summary>Open (unwaived) findings after the run, by severity, for the trend chart.</summary>
    public int OpenCritical { get; set; }

    public int OpenHigh { get; set; }

    public int OpenMedium { get; set; }

    public int OpenWarnings { get; set; }

    public string? Error { get; set; }
}
