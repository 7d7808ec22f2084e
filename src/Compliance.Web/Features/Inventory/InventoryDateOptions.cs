namespace Compliance.Web.Features.Inventory;

/// <summary>
/// Configuration section <c>Inventory:Dates</c>: the window of dates the inventory accepts on every path (binding
/// start, end and move dates; model deprecation and retirement), counted from today. Wide enough for history and
/// plans, narrow enough to refuse 0001-01-01 and 9999-12-31.
/// </summary>
public sealed class InventoryDateOptions
{
    public const string Section = "Inventory:Dates";

    /// <summary><c>Inventory:Dates:YearsBack</c>: how far in the past a date may lie (default 30 years).</summary>
    public int YearsBack { get; set; } = 30;

    /// <summary><c>Inventory:Dates:YearsAhead</c>: how far in the future a date may lie (default 10 years).</summary>
    public int YearsAhead { get; set; } = 10;
}
