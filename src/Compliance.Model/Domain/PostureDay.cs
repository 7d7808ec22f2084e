namespace Compliance.Domain;

/// <summary>
/// One day's compliance posture of one customer (or, with <see cref="AllCustomers"/>, of the whole inventory): the daily
/// roll-up the dashboards chart over weeks and months. Derived data, recomputed from bindings, findings and plans, so it
/// is not on the audit trail; kept at least <see cref="RetentionDays"/> days.
/// </summary>
public class PostureDay
{
    /// <summary>The customer id of the whole inventory's row (no customer has id 0).</summary>
    public const int AllCustomers = 0;

    /// <summary>Three years and a day: a leap year never cuts the third year short.</summary>
    public const int RetentionDays = 1096;

    /// <summary>The UTC day (midnight).</summary>
    public DateTime Day { get; set; }

    /// <summary>The customer, or <see cref="AllCustomers"/>.</summary>
    public int CustomerId { get; set; }

    /// <summary>Bindings in force when the roll-up ran.</summary>
    public int Bindings { get; set; }

    /// <summary>Bindings with no open or waived finding above a warning: they pass every rule.</summary>
    public int Compliant { get; set; }

    /// <summary>Bindings whose only findings above a warning are waived.</summary>
    public int CompliantWithWaivers { get; set; }

    /// <summary>Bindings with an open finding above a warning.</summary>
    public int NotCompliant { get; set; }

    public int OpenCritical { get; set; }

    public int OpenHigh { get; set; }

    public int OpenMedium { get; set; }

    public int OpenLow { get; set; }

    public int OpenWarnings { get; set; }

    /// <summary>Findings accepted by a waiver in force.</summary>
    public int WaivedFindings { get; set; }

    /// <summary>Transition plans past their target date and not done.</summary>
    public int OverduePlans { get; set; }

    /// <summary>The last succeeded check run the findings come from; null before any.</summary>
    public int? CheckRunId { get; set; }

    /// <summary>When this row was last (re)computed: the day's last roll-up wins.</summary>
    public DateTime ComputedAt { get; set; }

    public int OpenFindings => OpenCritical + OpenHigh + OpenMedium + OpenLow + OpenWarnings;

    /// <summary>Share of bindings in force that pass every rule, in [0, 1]; 1 when there are none.</summary>
    public double CompliantShare => Bindings == 0 ? 1 : (double)Compliant / Bindings;
}
