using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Compliance.Web.Features.Attestations;

/// <summary>Fills, fonts and pens of <see cref="PdfPageFlow"/>'s tables.</summary>
internal sealed record PdfTableStyle(
    XBrush HeaderFill, XFont HeaderFont, XBrush HeaderText, XBrush BandFill, XFont BandTitleFont, XBrush BandTitleBrush,
    XFont BandDetailFont, XBrush BandDetailBrush, XBrush Stripe, XPen Rule);

/// <summary>
/// The layout engine of the attestation PDF, apart from its content: A4 pages filled top to bottom with a running
/// header, and tables whose rows are as tall as their tallest wrapped cell, that break across pages with the header
/// row repeated, with striped rows and full-width band rows that group the rows below them.
/// </summary>
internal abstract class PdfPageFlow(PdfDocument document, PdfTableStyle style)
{
    public const double PageWidth = 595.28;   // A4 in points
    public const double PageHeight = 841.89;
    public const double Left = 50;
    public const double Right = PageWidth - 50;
    public const double ContentWidth = Right - Left;
    public const double Top = 64;
    public const double Bottom = PageHeight - 62;
    public const double CellPad = 3.5;
    private const double HeaderHeight = 17;

    private XGraphics? _gfx;
    private Column[] _columns = [];
    private bool _stripe;

    /// <summary>Where the next content goes, in points from the top of the page.</summary>
    protected double Y { get; set; }

    protected XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page is open.");

    /// <summary>Draws what every page but the cover carries above <see cref="Top"/>.</summary>
    protected abstract void RunningHeader(XGraphics g);

    public void Finish()
    {
        _gfx?.Dispose();
        _gfx = null;
    }

    protected void NewPage(bool runningHeader = true)
    {
        _gfx?.Dispose();
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        _gfx = XGraphics.FromPdfPage(page);
        Y = Top;
        if (runningHeader)
        {
            RunningHeader(_gfx);
        }
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    protected void Ensure(double height)
    {
        if (_gfx is null || Y + height > Bottom)
        {
            NewPage();
        }
    }

    protected void Table(Column[] columns)
    {
        _columns = columns;
        _stripe = false;
        Ensure(HeaderHeight + 48);
        Header();
    }

    private void Header()
    {
        var g = Gfx;
        g.DrawRectangle(style.HeaderFill, Left, Y, ContentWidth, HeaderHeight);
        var x = Left;
        foreach (var c in _columns)
        {
            var rect = new XRect(x + CellPad, Y + 4.5, c.Width - 2 * CellPad, 10);
            g.DrawString(c.Header, style.HeaderFont, style.HeaderText, rect, c.AlignRight ? XStringFormats.TopRight : XStringFormats.TopLeft);
            x += c.Width;
        }

        Y += HeaderHeight;
    }

    private void BreakIfNeeded(double height)
    {
        if (Y + height > Bottom)
        {
            NewPage();
            Header();
            _stripe = false;
        }
    }

    protected void BandRow(string title, string detail, double minFollowing)
    {
        var detailLines = PdfText.Wrap(detail, style.BandDetailFont, ContentWidth - 2 * CellPad - PdfText.Width(title, style.BandTitleFont) - 16, 2);
        var height = 6 + Math.Max(PdfText.Height(style.BandTitleFont), detailLines.Count * PdfText.Height(style.BandDetailFont)) + 4;
        BreakIfNeeded(height + minFollowing);
        var g = Gfx;
        g.DrawRectangle(style.BandFill, Left, Y, ContentWidth, height);
        g.DrawString(title, style.BandTitleFont, style.BandTitleBrush, Left + CellPad, Y + 5, XStringFormats.TopLeft);
        var y = Y + 5.8;
        foreach (var l in detailLines)
        {
            g.DrawString(l, style.BandDetailFont, style.BandDetailBrush, new XRect(Left, y, ContentWidth - CellPad, 9), XStringFormats.TopRight);
            y += PdfText.Height(style.BandDetailFont);
        }

        Y += height;
        _stripe = false;
    }

    protected void Row(Text[][] cells)
    {
        // Lay out every cell first: the row is as tall as its tallest cell.
        Span<double> heights = stackalloc double[cells.Length];
        var laidOut = new List<(string Line, XFont Font, XBrush Brush)>[cells.Length];
        double rowHeight = 0;
        for (var i = 0; i < cells.Length; i++)
        {
            var width = _columns[i].Width - 2 * CellPad;
            var lines = new List<(string, XFont, XBrush)>(2);
            double h = 0;
            foreach (var text in cells[i])
            {
                foreach (var l in PdfText.Wrap(text.Value, text.Font, width))
                {
                    lines.Add((l, text.Font, text.Brush));
                    h += PdfText.Height(text.Font);
                }
            }

            laidOut[i] = lines;
            heights[i] = h;
            rowHeight = Math.Max(rowHeight, h);
        }

        rowHeight += 2 * CellPad + 1;
        BreakIfNeeded(rowHeight);
        var g = Gfx;
        if (_stripe)
        {
            g.DrawRectangle(style.Stripe, Left, Y + 0.4, ContentWidth, rowHeight - 0.4);
        }

        _stripe = !_stripe;
        var x = Left;
        for (var i = 0; i < cells.Length; i++)
        {
            var column = _columns[i];
            var y = Y + CellPad + 0.5;
            foreach (var (line, font, brush) in laidOut[i])
            {
                if (column.AlignRight)
                {
                    g.DrawString(line, font, brush, new XRect(x + CellPad, y, column.Width - 2 * CellPad, font.Size + 2), XStringFormats.TopRight);
                }
                else
                {
                    g.DrawString(line, font, brush, x + CellPad, y, XStringFormats.TopLeft);
                }

                y += PdfText.Height(font);
            }

            x += column.Width;
        }

        Y += rowHeight;
        g.DrawLine(style.Rule, Left, Y, Right, Y);
    }
}
