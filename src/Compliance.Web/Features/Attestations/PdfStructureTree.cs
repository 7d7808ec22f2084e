using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.UniversalAccessibility;

namespace Compliance.Web.Features.Attestations;

/// <summary>The structure types the attestation uses (ISO 32000-1 §14.8.4).</summary>
internal enum Tag { H1, H2, P, Table, TR, TH, TD, Figure }

/// <summary>
/// A tagged PDF's structure tree (ISO 32000-1 §14.7, PDF/UA-1). The marked content (BDC/EMC with an MCID, BMC/EMC for
/// artifacts) goes into the pages' content streams as they are drawn, beginning and ending in the same text mode so a
/// BT/ET pair never straddles it. The tree itself is kept as plain records and written as raw PDF objects by
/// <see cref="SignedPdfPatcher"/> once PDFsharp has written the file: structure elements must be indirect objects
/// (the parent tree refers to them), and as PDFsharp objects the 70,000 elements of 10,000 bindings cost several
/// times the untagged rendering in allocation, reachability analysis, renumbering and writing; written here they cost
/// a few bytes each. PDFsharp's catalog carries a padded placeholder for /StructTreeRoot that the patcher fills in.
/// The signature widget PDFsharp adds while saving becomes the content of a Form element (an OBJR), keyed in the
/// parent tree after the pages.
/// </summary>
internal sealed class PdfStructureTree
{
    /// <summary>The Form element's alternative text and the widget's /TU.</summary>
    public const string SignatureDescription = "Digital signature of this attestation";

    /// <summary>Object 0 (null, should the patcher never run), padded to fit any object number.</summary>
    private const string Placeholder = "0 0 R            ";

    internal static ReadOnlySpan<byte> PlaceholderBytes => "0 0 R            "u8;

    private static readonly ConditionalWeakTable<PdfDocument, PdfStructureTree> Trees = new();

    private readonly List<Node> _nodes = [new Node(-1, "Document")];
    private readonly List<int> _open = [0];
    private readonly List<PdfPage> _pages = [];
    private readonly List<List<int>> _pageParents = [];
    private readonly List<string> _sharedAttributes = [];
    private XGraphics? _gfx;
    private bool _artifact;
    private bool _artifactInText;

    public PdfStructureTree(PdfDocument document)
    {
        var catalog = document.Internals.Catalog;
        var markInfo = new PdfDictionary(document);
        markInfo.Elements.SetBoolean("/Marked", true);
        catalog.Elements["/MarkInfo"] = markInfo;
        catalog.Elements["/StructTreeRoot"] = new PdfLiteral(Placeholder);
        Trees.AddOrUpdate(document, this);
    }

    /// <summary>The tree drawn into <paramref name="document"/>, if it is tagged.</summary>
    public static PdfStructureTree? Of(PdfDocument document) => Trees.TryGetValue(document, out var tree) ? tree : null;

    /// <summary>
    /// Before the current page's graphics are closed: marked content still open ends on this page and resumes on the
    /// next (after that page's furniture, see <see cref="EndArtifact"/>).
    /// </summary>
    public void EndPage()
    {
        if (Current.Marking)
        {
            EndMarkedContent(Current);
            Current.Suspended = true;
        }

        _gfx = null;
    }

    /// <summary>A new page and its graphics; its parent-tree key is its index.</summary>
    public void BeginPage(PdfPage page, XGraphics gfx)
    {
        _gfx = gfx;
        page.Elements.SetInteger("/StructParents", _pages.Count);
        _pages.Add(page);
        _pageParents.Add([]);
    }

    /// <summary>A grouping element (Table, TR) whose content is its child elements.</summary>
    public void BeginGroup(Tag tag) => Open(tag);

    /// <summary>
    /// An element that owns drawn content (heading, paragraph, cell, figure): its marked content begins now, in the
    /// text or graphics mode the caller set. <paramref name="boundingBox"/> is in PDF space.
    /// </summary>
    public void BeginContent(Tag tag, string? alternativeText = null, XRect? boundingBox = null)
    {
        var node = Open(tag);
        node.Alternative = alternativeText;
        node.BoundingBox = boundingBox;
        BeginMarkedContent(node);
    }

    /// <summary>Attributes shared by every element that has them (e.g. <c>/O /Table /Scope /Column</c>): one object for all.</summary>
    public void SetSharedAttributes(string owner, string key, string value)
    {
        var dictionary = $"<</O/{owner}/{key} {value}>>";
        var index = _sharedAttributes.IndexOf(dictionary);
        if (index < 0)
        {
            index = _sharedAttributes.Count;
            _sharedAttributes.Add(dictionary);
        }

        Current.SharedAttributes = index;
    }

    public void End()
    {
        if (_open.Count == 1)
        {
            throw new InvalidOperationException("No structure element is open.");
        }

        var node = Current;
        if (node.Marking)
        {
            EndMarkedContent(node);
        }

        _open.RemoveAt(_open.Count - 1);
        if (Current.Suspended)
        {
            Current.Suspended = false;
            BeginMarkedContent(Current);
        }
    }

    /// <summary>Drawing that is not content (fills, rules, repeated headers, page furniture), in graphics mode.</summary>
    public void BeginArtifact()
    {
        if (_artifact)
        {
            throw new InvalidOperationException("An artifact is already open.");
        }

        if (Current.Marking)
        {
            EndMarkedContent(Current);
            Current.Suspended = true;
        }

        PdfRendererExtensions.BeginGraphicMode(Gfx);
        _artifactInText = false;
        _artifact = true;
        Append("/Artifact BMC\n");
    }

    public void EndArtifact()
    {
        if (!_artifact)
        {
            throw new InvalidOperationException("No artifact is open.");
        }

        RestoreMode(_artifactInText);
        Append("EMC\n");
        _artifact = false;
        if (Current.Suspended)
        {
            Current.Suspended = false;
            BeginMarkedContent(Current);
        }
    }

    /// <summary>Closes every element still open.</summary>
    public void Finish()
    {
        while (_open.Count > 1)
        {
            End();
        }
    }

    /// <summary>The parent-tree key of the signature widget: the one after the pages'.</summary>
    public int WidgetKey => _pages.Count;

    /// <summary>
    /// The tree as raw PDF objects numbered from <paramref name="first"/>, once PDFsharp has numbered the pages and the
    /// signature widget (<paramref name="widget"/>, on the first page). <paramref name="offsets"/> gets each object's
    /// offset in the returned bytes, in number order; <paramref name="root"/> the StructTreeRoot's number.
    /// </summary>
    public ArraySegment<byte> Write(int first, int widget, List<int> offsets, out int root)
    {
        root = first;
        var parentTree = first + 1;
        var attributes = first + 2;
        var elements = attributes + _sharedAttributes.Count;
        var form = elements + _nodes.Count;
        var pages = _pages.Select(p => p.Reference!.ObjectNumber).ToArray();
        var pdf = new RawPdf(80 * (_nodes.Count + 8));

        void Begin(int number)
        {
            offsets.Add(pdf.Length);
            pdf.Append(number).Append(" 0 obj\n");
        }

        void Reference(int number) => pdf.Append(number).Append(" 0 R");

        Begin(root);
        pdf.Append("<</Type/StructTreeRoot/K ");
        Reference(elements);
        pdf.Append("/ParentTree ");
        Reference(parentTree);
        pdf.Append("/ParentTreeNextKey ").Append(WidgetKey + 1).Append(">>\nendobj\n");

        Begin(parentTree);
        pdf.Append("<</Nums[");
        for (var p = 0; p < _pageParents.Count; p++)
        {
            pdf.Append(p).Append('[');
            foreach (var node in _pageParents[p])
            {
                Reference(elements + node);
                pdf.Append(' ');
            }

            pdf.Append("] ");
        }

        pdf.Append(WidgetKey).Append(' ');
        Reference(form);
        pdf.Append("]>>\nendobj\n");

        for (var a = 0; a < _sharedAttributes.Count; a++)
        {
            Begin(attributes + a);
            pdf.Append(_sharedAttributes[a]).Append("\nendobj\n");
        }

        for (var n = 0; n < _nodes.Count; n++)
        {
            var node = _nodes[n];
            Begin(elements + n);
            pdf.Append("<</S/").Append(node.Type).Append("/P ");
            Reference(node.Parent < 0 ? root : elements + node.Parent);
            if (node.Page >= 0)
            {
                pdf.Append("/Pg ");
                Reference(pages[node.Page]);
            }

            if (node.Alternative is { } alternative)
            {
                pdf.Append("/Alt");
                String(pdf, alternative);
            }

            if (node.SharedAttributes >= 0)
            {
                pdf.Append("/A ");
                Reference(attributes + node.SharedAttributes);
            }
            else if (node.BoundingBox is { } box)
            {
                pdf.Append("/A<</O/Layout/BBox[").Append(Number(box.Left)).Append(' ').Append(Number(box.Top)).Append(' ')
                    .Append(Number(box.Right)).Append(' ').Append(Number(box.Bottom)).Append("]>>");
            }

            var kids = node.Kids.Count + (n == 0 ? 1 : 0);
            pdf.Append("/K");
            pdf.Append(kids == 1 ? " " : "[");
            foreach (var kid in node.Kids)
            {
                if (kid.Node >= 0)
                {
                    Reference(elements + kid.Node);
                }
                else if (kid.Page == node.Page)
                {
                    pdf.Append(kid.Mcid);
                }
                else
                {
                    // Content continued on a later page: a marked-content reference names that page.
                    pdf.Append("<</Type/MCR/Pg ");
                    Reference(pages[kid.Page]);
                    pdf.Append("/MCID ").Append(kid.Mcid).Append(">>");
                }

                pdf.Append(' ');
            }

            if (n == 0)
            {
                Reference(form);
            }

            pdf.Append(kids == 1 ? "" : "]").Append(">>\nendobj\n");
        }

        Begin(form);
        pdf.Append("<</S/Form/P ");
        Reference(elements);
        pdf.Append("/Pg ");
        Reference(pages[0]);
        pdf.Append("/Alt");
        String(pdf, SignatureDescription);
        pdf.Append("/K<</Type/OBJR/Pg ");
        Reference(pages[0]);
        pdf.Append("/Obj ");
        Reference(widget);
        pdf.Append(">>>>\nendobj\n");
        return pdf.Written;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A PDF text string: literal (escaped) when ASCII, else UTF-16BE hex with its byte order mark.</summary>
    private static void String(RawPdf pdf, string text)
    {
        if (text.All(c => c is >= ' ' and < (char)127))
        {
            pdf.Append('(');
            foreach (var c in text)
            {
                if (c is '(' or ')' or '\\')
                {
                    pdf.Append('\\');
                }

                pdf.Append(c);
            }

            pdf.Append(')');
            return;
        }

        pdf.Append("<FEFF").Append(Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text))).Append('>');
    }

    private Node Current => _nodes[_open[^1]];

    private XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page is open.");

    private Node Open(Tag tag)
    {
        var parent = Current;
        if (parent.Marking)
        {
            EndMarkedContent(parent);
        }

        var index = _nodes.Count;
        var node = new Node(_open[^1], tag.ToString());
        _nodes.Add(node);
        parent.Kids.Add(new Kid(index, 0, 0));
        _open.Add(index);
        return node;
    }

    private void BeginMarkedContent(Node node)
    {
        var page = _pages.Count - 1;
        var parents = _pageParents[page];
        var mcid = parents.Count;
        parents.Add(_open[^1]);
        if (node.Page < 0)
        {
            node.Page = page;
        }

        node.Kids.Add(new Kid(-1, mcid, page));
        node.InText = PdfRendererExtensions.IsInTextMode(Gfx);
        node.Marking = true;
        var content = Gfx.Internals.ContentStringBuilder ?? throw new InvalidOperationException("The page has no PDF content stream.");
        content.Append('/').Append(node.Type).Append("<</MCID ").Append(mcid).Append(">>BDC\n");
    }

    private void EndMarkedContent(Node node)
    {
        RestoreMode(node.InText);
        Append("EMC\n");
        node.Marking = false;
    }

    private void RestoreMode(bool inText)
    {
        if (inText)
        {
            PdfRendererExtensions.BeginTextMode(Gfx);
        }
        else
        {
            PdfRendererExtensions.BeginGraphicMode(Gfx);
        }
    }

    private void Append(string operators) =>
        (Gfx.Internals.ContentStringBuilder ?? throw new InvalidOperationException("The page has no PDF content stream.")).Append(operators);

    /// <summary>ASCII PDF syntax appended straight to bytes (the tree of 10,000 bindings is ~5 MB: no string copies).</summary>
    private sealed class RawPdf(int capacity)
    {
        private byte[] _bytes = new byte[capacity];

        public int Length { get; private set; }

        public ArraySegment<byte> Written => new(_bytes, 0, Length);

        public RawPdf Append(string ascii)
        {
            Room(ascii.Length);
            Length += Encoding.Latin1.GetBytes(ascii, _bytes.AsSpan(Length));
            return this;
        }

        public RawPdf Append(char ascii)
        {
            Room(1);
            _bytes[Length++] = (byte)ascii;
            return this;
        }

        public RawPdf Append(int number)
        {
            Room(11);
            System.Buffers.Text.Utf8Formatter.TryFormat(number, _bytes.AsSpan(Length), out var written);
            Length += written;
            return this;
        }

        private void Room(int more)
        {
            if (Length + more > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + more));
            }
        }
    }

    /// <summary>A child element (<c>Node</c> ≥ 0) or a marked content (MCID on page index <c>Page</c>).</summary>
    private readonly record struct Kid(int Node, int Mcid, int Page);

    /// <summary>A structure element: its parent's index, type, first page, kids and whether its marked content is open.</summary>
    private sealed class Node(int parent, string type)
    {
        public int Parent { get; } = parent;

        public string Type { get; } = type;

        public int Page { get; set; } = -1;

        public List<Kid> Kids { get; } = [];

        public string? Alternative { get; set; }

        public XRect? BoundingBox { get; set; }

        public int SharedAttributes { get; set; } = -1;

        public bool Marking { get; set; }

        /// <summary>Its marked content was closed for an artifact or a page break and resumes after it.</summary>
        public bool Suspended { get; set; }

        public bool InText { get; set; }
    }
}
