using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Compliance.Web.Features.Attestations;

/// <summary>Fills, fonts and pens of <see cref="PdfPageFlow"/>'s tables.</summary>
internal sealed record PdfTableStyle(
    XBrush HeaderFill, XFont HeaderFont, XBrush HeaderText, XBrush BandFill, XFont BandTitleFont, XBrush BandTitleBrush,
    XFont BandDetailFont, XBrush BandDetailBrush, XBrush Stripe, XPen Rule);

/// <summary>
/// The layout engine of the attestation PDF, apart from its content: A4 pages filled top to bottom with a running
/// header and a footer, and tables whose rows are as tall as their tallest wrapped cell, that break across pages with
/// the header row repeated, with striped rows and full-width band rows that group the rows below them.
///
/// Tagged for PDF/UA (<see cref="PdfStructureTree"/>): text is drawn inside structure elements (headings, paragraphs,
/// Table/TR/TH/TD), everything else (fills, rules, running header, footer, the header row repeated on later pages) is
/// marked as an artifact. Each page is drawn once, top to bottom, so the footer ("Page X of Y") is drawn as the page
/// opens, and Y comes from a first, counting pass over the same content (<c>document</c> null): it lays everything out
/// on a measuring context that draws nothing.
/// </summary>
internal abstract class PdfPageFlow
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

    private readonly PdfDocument? _document;
    private readonly PdfTableStyle _style;
    private readonly PdfStructureTree? _tags;
    private XGraphics? _gfx;
    private Column[] _columns = [];
    private bool _stripe;
    private bool _tableOpen;

    /// <param name="document">The document to draw into; null for the counting pass, which only paginates.</param>
    /// <param name="tagged">False only to measure what tagging costs (the benchmark's control).</param>
    protected PdfPageFlow(PdfDocument? document, PdfTableStyle style, bool tagged = true)
    {
        _document = document;
        _style = style;
        if (document is not null)
        {
            _tags = tagged ? new PdfStructureTree(document) : null;
        }
        else
        {
            _gfx = XGraphics.CreateMeasureContext(new XSize(PageWidth, PageHeight), XGraphicsUnit.Point, XPageDirection.Downwards);
        }
    }

    /// <summary>Where the next content goes, in points from the top of the page.</summary>
    protected double Y { get; set; }

    /// <summary>Pages opened so far; after <see cref="Finish"/>, the document's page count.</summary>
    public int Pages { get; private set; }

    protected XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page is open.");

    /// <summary>
    /// Draws what every page carries outside the content (the running header above <see cref="Top"/> unless
    /// <paramref name="runningHeader"/> is false; the footer below <see cref="Bottom"/>). Marked as an artifact.
    /// </summary>
    protected abstract void PageFurniture(XGraphics g, int page, bool runningHeader);

    public void Finish()
    {
        EndTable();
        if (_document is not null)
        {
            _tags?.Finish();
            _tags?.EndPage();
            _gfx?.Dispose();
            _gfx = null;
        }
    }

    protected void NewPage(bool runningHeader = true)
    {
        Pages++;
        Y = Top;
        if (_document is null)
        {
            return;
        }

        // Marked content ends on the page it began; an element still open resumes on the next page.
        _tags?.EndPage();
        _gfx?.Dispose();
        var page = _document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        _gfx = XGraphics.FromPdfPage(page);
        _tags?.BeginPage(page, _gfx);
        BeginArtifact();
        PageFurniture(_gfx, Pages, runningHeader);
        EndArtifact();
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    protected void Ensure(double height)
    {
        if (_gfx is null || Pages == 0 || Y + height > Bottom)
        {
            NewPage();
        }
    }

    // ---------- Tags ----------

    /// <summary>
    /// Opens a structure element: Table and TR group other elements; the others own the text drawn until
    /// <see cref="End"/>, as marked content that begins and ends inside a text object (a BT/ET pair never straddles it).
    /// </summary>
    protected void Begin(Tag tag)
    {
        if (_tags is null)
        {
            return;
        }

        if (tag is Tag.Table or Tag.TR)
        {
            _tags.BeginGroup(tag);
            return;
        }

        PdfSharp.UniversalAccessibility.PdfRendererExtensions.BeginTextMode(Gfx);
        _tags.BeginContent(tag);
    }

    /// <summary>A block outside tables (heading, paragraph): ends an open table first.</summary>
    protected void BeginBlock(Tag tag)
    {
        EndTable();
        Begin(tag);
    }

    protected void End() => _tags?.End();

    /// <summary>Scope of the TH just begun: <c>Column</c> or <c>Row</c> (one shared attribute object per scope).</summary>
    protected void Scope(string scope) =>
        _tags?.SetSharedAttributes("Table", "Scope", scope == "Row" ? "/Row" : "/Column");

    /// <summary>Drawing that carries no content of its own (fills, rules, repeated headers, page furniture).</summary>
    protected void BeginArtifact() => _tags?.BeginArtifact();

    protected void EndArtifact() => _tags?.EndArtifact();

    /// <summary>A figure drawn with vector graphics; <paramref name="box"/> in page coordinates from the top.</summary>
    protected void BeginFigure(string alternativeText, XRect box)
    {
        EndTable();
        if (_tags is null)
        {
            return;
        }

        PdfSharp.UniversalAccessibility.PdfRendererExtensions.BeginGraphicMode(Gfx);
        // The layout attribute's BBox is in PDF space (origin bottom left).
        _tags.BeginContent(Tag.Figure, alternativeText, new XRect(box.X, PageHeight - box.Bottom, box.Width, box.Height));
    }

    protected void EndFigure() => _tags?.End();

    private void EndTable()
    {
        if (_tableOpen)
        {
            _tableOpen = false;
            End();
        }
    }

    // ---------- Tables ----------

    protected void Table(Column[] columns)
    {
        EndTable();
        _columns = columns;
        _stripe = false;
        Ensure(HeaderHeight + 48);
        Begin(Tag.Table);
        _tableOpen = true;
        Header(repeated: false);
    }

    /// <summary>The header row: tagged TH cells the first time, an artifact where a page break repeats it.</summary>
    private void Header(bool repeated)
    {
        var g = Gfx;
        BeginArtifact();
        g.DrawRectangle(_style.HeaderFill, Left, Y, ContentWidth, HeaderHeight);
        if (!repeated)
        {
            EndArtifact();
            Begin(Tag.TR);
        }

        var x = Left;
        foreach (var c in _columns)
        {
            if (!repeated)
            {
                Begin(Tag.TH);
                Scope("Column");
            }

            var rect = new XRect(x + CellPad, Y + 4.5, c.Width - 2 * CellPad, 10);
            g.DrawString(c.Header, _style.HeaderFont, _style.HeaderText, rect, c.AlignRight ? XStringFormats.TopRight : XStringFormats.TopLeft);
            x += c.Width;
            if (!repeated)
            {
                End();
            }
        }

        if (repeated)
        {
            EndArtifact();
        }
        else
        {
            End();
        }

        Y += HeaderHeight;
    }

    private void BreakIfNeeded(double height)
    {
        if (Y + height > Bottom)
        {
            NewPage();
            Header(repeated: true);
            _stripe = false;
        }
    }

    /// <summary>A full-width row that names the group of rows below it: one TD spanning every column.</summary>
    protected void BandRow(string title, string detail, double minFollowing)
    {
        var detailLines = PdfText.Wrap(detail, _style.BandDetailFont, ContentWidth - 2 * CellPad - PdfText.Width(title, _style.BandTitleFont) - 16, 2);
        var height = 6 + Math.Max(PdfText.Height(_style.BandTitleFont), detailLines.Count * PdfText.Height(_style.BandDetailFont)) + 4;
        BreakIfNeeded(height + minFollowing);
        var g = Gfx;
        BeginArtifact();
        g.DrawRectangle(_style.BandFill, Left, Y, ContentWidth, height);
        EndArtifact();
        Begin(Tag.TR);
        Begin(Tag.TD);
        _tags?.SetSharedAttributes("Table", "ColSpan", _columns.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        g.DrawString(title, _style.BandTitleFont, _style.BandTitleBrush, Left + CellPad, Y + 5, XStringFormats.TopLeft);
        var y = Y + 5.8;
        foreach (var l in detailLines)
        {
            g.DrawString(l, _style.BandDetailFont, _style.BandDetailBrush, new XRect(Left, y, ContentWidth - CellPad, 9), XStringFormats.TopRight);
            y += PdfText.Height(_style.BandDetailFont);
        }

        End();
        End();
        Y += height;
        _stripe = false;
    }

    protected void Row(Text[][] cells)
    {
        // Lay out every cell first: the row is as tall as its tallest cell.
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
            rowHeight = Math.Max(rowHeight, h);
        }

        rowHeight += 2 * CellPad + 1;
        BreakIfNeeded(rowHeight);
        var g = Gfx;
        if (_stripe)
        {
            BeginArtifact();
            g.DrawRectangle(_style.Stripe, Left, Y + 0.4, ContentWidth, rowHeight - 0.4);
            EndArtifact();
        }

        _stripe = !_stripe;
        Begin(Tag.TR);
        var x = Left;
        for (var i = 0; i < cells.Length; i++)
        {
            var column = _columns[i];
            var y = Y + CellPad + 0.5;
            Begin(Tag.TD);
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

            End();
            x += column.Width;
        }

        End();
        Y += rowHeight;
        BeginArtifact();
        g.DrawLine(_style.Rule, Left, Y, Right, Y);
        EndArtifact();
    }
}
