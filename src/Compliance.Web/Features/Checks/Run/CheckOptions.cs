namespace Compliance.Web.Features.Checks.Run;

/// <summary>Configuration section <c>Checks</c>.</summary>
public sealed class CheckOptions
{
    /// <summary>Cron expression of the recurring check (<c>Checks:Schedule</c>); every 15 minutes by default.</summary>
    public string Schedule { get; set; } = "*/15 * * * *";

    /// <summary>How far ahead an approval's end raises <c>ApprovalExpiringSoon</c> (<c>Checks:ExpiringSoonDays</c>).</summary>
    public int ExpiringSoonDays { get; set; } = 30;

    /// <summary>How long after a change the triggered check starts, coalescing a burst of changes (<c>Checks:TriggerDelaySeconds</c>).</summary>
    public int TriggerDelaySeconds { get; set; } = 3;

    /// <summary>Connections scanning <c>Bindings</c> in parallel id ranges (<c>Checks:ReaderCount</c>); one writer consumes them.</summary>
    public int ReaderCount { get; set; } = 2;

    public TimeSpan ExpiringSoonWindow => TimeSpan.FromDays(ExpiringSoonDays);
}
