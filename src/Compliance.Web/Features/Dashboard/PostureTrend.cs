using System.Globalization;
using Compliance.Domain;
using Microsoft.AspNetCore.Components;

namespace Compliance.Web.Features.Dashboard;

/// <summary>
/// One customer's (or the whole inventory's) daily posture over a range of days, with its charts drawn and its text
/// alternative written. Immutable, so every dashboard showing the same customer and range shares one
/// (<see cref="PostureTrends"/>).
/// </summary>
public sealed record PostureTrend(int CustomerId, int Days, IReadOnlyList<PostureDay> Points, MarkupString ShareChart, MarkupString FindingsChart, string Summary)
{
    /// <summary>The ranges the dashboards offer, in days.</summary>
    public static readonly int[] Ranges = [7, 30, 90, 365];

    /// <summary>Above this many days a chart shows one point per week (the week's last day) so points stay apart.</summary>
    public const int DailyPointsUpTo = 90;

    public static PostureTrend Of(int customerId, int days, IReadOnlyList<PostureDay> rows)
    {
        var points = days > DailyPointsUpTo ? WeekEnds(rows) : rows;
        if (points.Count < 2)
        {
            return new PostureTrend(customerId, days, points, default, default, "");
        }

        var step = Math.Max(1, points.Count / 6);
        var labels = points.Select((p, i) => i % step == 0 || i == points.Count - 1 && step == 1 ? p.Day.ToString("MM-dd", CultureInfo.InvariantCulture) : "").ToArray();
        var per = days > DailyPointsUpTo ? "week" : "day";
        var share = TrendChart.Draw($"Compliant share of bindings in force per {per}, in percent", labels,
            new TrendLine("Compliant %", "var(--mud-palette-primary)", points.Select(p => Math.Round(p.CompliantShare * 100, 1)).ToArray(), "0.0"));
        var findings = TrendChart.Draw($"Open critical and high findings and overdue transition plans per {per}", labels,
            new TrendLine("Critical", "var(--mud-palette-error)", points.Select(p => (double)p.OpenCritical).ToArray(), "N0"),
            new TrendLine("High", "var(--mud-palette-warning)", points.Select(p => (double)p.OpenHigh).ToArray(), "N0"),
            new TrendLine("Overdue plans", "var(--mud-palette-secondary)", points.Select(p => (double)p.OverduePlans).ToArray(), "N0"));
        return new PostureTrend(customerId, days, points, new MarkupString(share), new MarkupString(findings), Describe(points));
    }

    /// <summary>The charts in words, for screen readers and anyone who prefers numbers: first and last point of each line.</summary>
    private static string Describe(IReadOnlyList<PostureDay> points)
    {
        var (first, last) = (points[0], points[^1]);
        return string.Create(CultureInfo.CurrentCulture,
            $"From {first.Day:yyyy-MM-dd} to {last.Day:yyyy-MM-dd}: compliant bindings {first.CompliantShare:P1} to {last.CompliantShare:P1} " +
            $"({last.Compliant:N0} of {last.Bindings:N0}); open critical findings {first.OpenCritical:N0} to {last.OpenCritical:N0}, " +
            $"high {first.OpenHigh:N0} to {last.OpenHigh:N0}; overdue transition plans {first.OverduePlans:N0} to {last.OverduePlans:N0}.");
    }

    /// <summary>The last recorded day of each week (weeks start on Monday), oldest first.</summary>
    private static List<PostureDay> WeekEnds(IReadOnlyList<PostureDay> rows) =>
        [.. rows.GroupBy(r => r.Day.AddDays(-(((int)r.Day.DayOfWeek + 6) % 7))).Select(g => g.MaxBy(r => r.Day)!)];
}
