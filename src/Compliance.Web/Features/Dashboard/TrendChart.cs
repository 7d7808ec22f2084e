using System.Globalization;
using System.Net;
using System.Text;

namespace Compliance.Web.Features.Dashboard;

/// <summary>One line of a trend chart: its name, its colour (a theme variable, so dark mode applies) and a value per run.</summary>
public sealed record TrendLine(string Name, string Colour, IReadOnlyList<double> Values, string Format);

/// <summary>
/// Draws a line chart over the check runs as SVG markup, once per posture snapshot. Every dashboard circuit then holds
/// a reference to the same string: a charting component would keep its own tree of paths, circles and labels per
/// circuit (≈ 60 components, most of a circuit's memory). Each point carries a title (the browser's tooltip) and the
/// legend is plain HTML beside the SVG.
/// </summary>
public static class TrendChart
{
    private const double Width = 640, Height = 260, Left = 52, Right = 16, Top = 14, Bottom = 34;
    private static readonly CultureInfo Svg = CultureInfo.InvariantCulture;

    public static string Draw(string label, IReadOnlyList<string> runLabels, params TrendLine[] lines)
    {
        var (low, high, step) = Scale(lines.SelectMany(l => l.Values));
        var count = runLabels.Count;
        double X(int i) => count == 1 ? Left + (Width - Left - Right) / 2 : Left + i * (Width - Left - Right) / (count - 1);
        double Y(double v) => Top + (high - v) / (high - low) * (Height - Top - Bottom);

        var svg = new StringBuilder(4096);
        svg.Append(Svg, $"<svg class=\"trend-chart\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\" height=\"260\" role=\"img\" aria-label=\"{Text(label)}\">");
        for (var v = low; v <= high + step / 2; v += step)
        {
            var y = Y(v);
            svg.Append(Svg, $"<line class=\"trend-grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>");
            svg.Append(Svg, $"<text class=\"trend-axis\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{v:0.##}</text>");
        }

        for (var i = 0; i < count; i++)
        {
            if (runLabels[i].Length > 0)
            {
                // The first and last labels align to the plot's edges so they are not cut off.
                var anchor = count > 1 && i == 0 ? "start" : count > 1 && i == count - 1 ? "end" : "middle";
                svg.Append(Svg, $"<text class=\"trend-axis\" x=\"{X(i):0.#}\" y=\"{Height - 10}\" text-anchor=\"{anchor}\">{Text(runLabels[i])}</text>");
            }
        }

        foreach (var line in lines)
        {
            svg.Append(Svg, $"<g class=\"trend-line\" style=\"color: {line.Colour}\"><polyline points=\"");
            for (var i = 0; i < line.Values.Count; i++)
            {
                svg.Append(Svg, $"{X(i):0.#},{Y(line.Values[i]):0.#} ");
            }

            svg.Append("\"/>");
            for (var i = 0; i < line.Values.Count; i++)
            {
                var value = line.Values[i].ToString(line.Format, CultureInfo.CurrentCulture);
                svg.Append(Svg, $"<circle cx=\"{X(i):0.#}\" cy=\"{Y(line.Values[i]):0.#}\" r=\"3.5\"><title>{Text(line.Name)}: {Text(value)}</title></circle>");
            }

            svg.Append("</g>");
        }

        svg.Append("</svg><ul class=\"trend-legend\">");
        foreach (var line in lines)
        {
            svg.Append($"<li style=\"color: {line.Colour}\"><span class=\"trend-swatch\"></span><span class=\"trend-name\">{Text(line.Name)}</span></li>");
        }

        return svg.Append("</ul>").ToString();
    }

    /// <summary>A round step (1, 2, 2.5 or 5 × 10ⁿ) giving about four gridlines, and the range it spans.</summary>
    private static (double Low, double High, double Step) Scale(IEnumerable<double> values)
    {
        var all = values.DefaultIfEmpty(0).ToList();
        double min = all.Min(), max = all.Max();
        if (max - min < 1e-9)
        {
            (min, max) = (Math.Max(0, min - 1), max + 1);
        }

        var rough = (max - min) / 4;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(f => f * magnitude).First(s => s >= rough);
        return (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }

    private static string Text(string value) => WebUtility.HtmlEncode(value);
}
