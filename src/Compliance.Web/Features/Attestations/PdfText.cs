using PdfSharp.Drawing;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// Text measuring and wrapping for the PDF layout: character widths per font are measured once and kept in a
/// table, so wrapping thousands of cells costs array reads, not PDFsharp measurements.
/// </summary>
internal static class PdfText
{
    private static readonly XGraphics Context = XGraphics.CreateMeasureContext(new XSize(595.28, 841.89), XGraphicsUnit.Point, XPageDirection.Downwards);
    private static readonly Lock Gate = new();
    private static readonly Dictionary<XFont, double[]> Tables = new(ReferenceEqualityComparer.Instance);
    private static readonly Dictionary<(XFont, char), double> Others = [];

    public static double Width(string text, XFont font)
    {
        var table = TableOf(font);
        double width = 0;
        foreach (var c in text)
        {
            width += Char(table, font, c);
        }

        return width;
    }

    public static double Char(char c, XFont font) => Char(TableOf(font), font, c);

    private static double Char(double[] table, XFont font, char c) =>
        c < table.Length ? (table[c] is var w && w >= 0 ? w : Fill(table, font, c)) : Other(font, c);

    public static double Height(XFont font) => font.GetHeight();

    private static double[] TableOf(XFont font)
    {
        lock (Gate)
        {
            if (!Tables.TryGetValue(font, out var table))
            {
                table = new double[0x2100];
                Array.Fill(table, -1);
                Tables[font] = table;
            }

            return table;
        }
    }

    private static double Fill(double[] table, XFont font, char c)
    {
        lock (Gate)
        {
            return table[c] = Context.MeasureString(c.ToString(), font).Width;
        }
    }

    private static double Other(XFont font, char c)
    {
        lock (Gate)
        {
            if (!Others.TryGetValue((font, c), out var w))
            {
                Others[(font, c)] = w = Context.MeasureString(c.ToString(), font).Width;
            }

            return w;
        }
    }

    /// <summary>Breaks text into lines no wider than <paramref name="width"/>, at spaces, then slashes, dots and hyphens, then anywhere.</summary>
    public static List<string> Wrap(string text, XFont font, double width, int maxLines = 6)
    {
        var lines = new List<string>(1);
        if (Width(text, font) <= width)
        {
            lines.Add(text);
            return lines;
        }

        var rest = text.AsSpan().Trim();
        while (rest.Length > 0)
        {
            if (lines.Count == maxLines - 1)
            {
                lines.Add(Ellipsis(rest.ToString(), font, width));
                break;
            }

            var fit = 0;
            double w = 0;
            while (fit < rest.Length && (w += Char(rest[fit], font)) <= width)
            {
                fit++;
            }

            if (fit == rest.Length)
            {
                lines.Add(rest.ToString());
                break;
            }

            var cut = rest[..fit].LastIndexOf(' ');
            if (cut <= 0)
            {
                cut = rest[..fit].LastIndexOfAny("/.-_:@");
                cut = cut <= 0 ? Math.Max(fit, 1) : cut + 1;
            }

            lines.Add(rest[..cut].TrimEnd().ToString());
            rest = rest[cut..].TrimStart();
        }

        return lines;
    }

    public static string Ellipsis(string text, XFont font, double width)
    {
        if (Width(text, font) <= width)
        {
            return text;
        }

        var limit = width - Width("…", font);
        double w = 0;
        var i = 0;
        while (i < text.Length && (w += Char(text[i], font)) <= limit)
        {
            i++;
        }

        return text[..i].TrimEnd() + "…";
    }
}

/// <summary>A table column: header text, width in points, alignment.</summary>
internal readonly record struct Column(string Header, double Width, bool AlignRight = false);

/// <summary>One paragraph inside a cell.</summary>
internal readonly record struct Text(string Value, XFont Font, XBrush Brush);

