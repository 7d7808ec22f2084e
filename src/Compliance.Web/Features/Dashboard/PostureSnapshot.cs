using Microsoft.AspNetCore.Components;

namespace Compliance.Web.Features.Dashboard;

/// <summary>
/// The posture as every staff dashboard shows it, with its two trend charts already drawn. Immutable, so all open
/// dashboards can hold the same instance (<see cref="PostureCache"/>).
/// </summary>
public sealed record PostureSnapshot(Posture Posture, MarkupString ShareChart, MarkupString FindingsChart)
{
    public static PostureSnapshot Of(Posture posture)
    {
        var trend = posture.Trend;
        if (trend.Count < 2)
        {
            return new PostureSnapshot(posture, default, default);
        }

        // Label every few runs only, so 30 labels don't overlap.
        var step = Math.Max(1, trend.Count / 6);
        var labels = trend.Select((p, i) => i % step == 0 ? p.StartedAt.ToString("MM-dd HH:mm") : "").ToArray();
        var share = TrendChart.Draw("Compliant share of active bindings per check, in percent", labels,
            new TrendLine("Compliant %", "var(--mud-palette-primary)", trend.Select(p => Math.Round(p.Share * 100, 1)).ToArray(), "0.0"));
        var findings = TrendChart.Draw("Open critical and high findings per check", labels,
            new TrendLine("Critical", "var(--mud-palette-error)", trend.Select(p => (double)p.OpenCritical).ToArray(), "N0"),
            new TrendLine("High", "var(--mud-palette-warning)", trend.Select(p => (double)p.OpenHigh).ToArray(), "N0"));
        return new PostureSnapshot(posture, new MarkupString(share), new MarkupString(findings));
    }
}
