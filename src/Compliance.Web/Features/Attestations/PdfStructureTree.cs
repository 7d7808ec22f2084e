using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.UniversalAccessibility;

namespace Compliance.Web.Features.Attestations;

/// <summary>The structure types the attestation uses (ISO 32000-1 §14.8.4).</summary>
internal enum Tag { H1, H2, P, Table, TR, TH, TD, Figure }

/// <summary>
/// A tagged PDF's structure tree (ISO 32000-1 §14.7, PDF/UA-1), written straight into PDFsharp's objects and the pages'
/// content streams. PDFsharp's own UAManager did the same with bookkeeping that cost 3–5× the untagged rendering
/// (a drawing event per operation, dictionary look-ups per element, attribute objects per cell, a linear parent-tree
/// search); here each element is one small dictionary (/S, /P, /Pg, /K; no /Type, which is optional), each page has
/// one parent-tree array indexed by MCID, and attribute dictionaries (a TH's scope, a band row's span) are shared
/// indirect objects. Structure elements themselves must stay indirect objects: the parent tree refers to them.
/// Marked content (BDC/EMC with an MCID, BMC/EMC for artifacts) begins and ends in the same text mode, so a BT/ET pair
/// never straddles it.
/// </summary>
internal sealed class PdfStructureTree
{
    private static readonly Dictionary<Tag, PdfName> Names = Enum.GetValues<Tag>().ToDictionary(t => t, t => new PdfName("/" + t));
    private static readonly PdfName S = new("/S");

    private readonly PdfDocument _document;
    private readonly PdfDictionary _root;
    private readonly PdfArray _nums = new();
    private readonly List<Element> _open = [];
    private readonly Dictionary<string, PdfDictionary> _sharedAttributes = [];
    private XGraphics? _gfx;
    private PdfPage? _page;
    private PdfArray? _pageParents;
    private int _nextKey;
    private bool _artifact;
    private bool _artifactInText;

    public PdfStructureTree(PdfDocument document)
    {
        _document = document;
        var catalog = document.Internals.Catalog;
        var markInfo = new PdfDictionary(document);
        markInfo.Elements.SetBoolean("/Marked", true);
        catalog.Elements["/MarkInfo"] = markInfo;

        _root = Indirect();
        _root.Elements.SetName("/Type", "/StructTreeRoot");
        var parentTree = new PdfDictionary(document);
        parentTree.Elements["/Nums"] = _nums;
        _root.Elements["/ParentTree"] = parentTree;
        catalog.Elements["/StructTreeRoot"] = _root;

        var documentElement = Indirect();
        documentElement.Elements[S] = new PdfName("/Document");
        documentElement.Elements["/P"] = _root.Reference;
        _root.Elements["/K"] = documentElement.Reference;
        _open.Add(new Element(documentElement));
    }

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

    /// <summary>A new page and its graphics: its parent-tree entry (an array of structure elements indexed by MCID).</summary>
    public void BeginPage(PdfPage page, XGraphics gfx)
    {
        _gfx = gfx;
        _page = page;
        _pageParents = new PdfArray();
        page.Elements.SetInteger("/StructParents", _nextKey);
        _nums.Elements.Add(new PdfInteger(_nextKey++));
        _nums.Elements.Add(_pageParents);
    }

    /// <summary>A grouping element (Table, TR) whose content is its child elements.</summary>
    public void BeginGroup(Tag tag) => Open(tag);

    /// <summary>
    /// An element that owns drawn content (heading, paragraph, cell, figure): its marked content begins now, in the
    /// text or graphics mode the caller set.
    /// </summary>
    public void BeginContent(Tag tag, string? alternativeText = null, XRect? boundingBox = null)
    {
        var element = Open(tag);
        if (alternativeText is not null)
        {
            element.Dictionary.Elements.SetString("/Alt", alternativeText);
        }

        if (boundingBox is { } box)
        {
            var layout = new PdfDictionary();
            layout.Elements.SetName("/O", "/Layout");
            layout.Elements["/BBox"] = new PdfRectangle(box);
            element.Dictionary.Elements["/A"] = layout;
        }

        BeginMarkedContent(element);
    }

    /// <summary>Attributes shared by every element that has them (e.g. <c>/O /Table /Scope /Column</c>): one object for all.</summary>
    public void SetSharedAttributes(string owner, string key, PdfItem value)
    {
        var id = owner + key + value;
        if (!_sharedAttributes.TryGetValue(id, out var attributes))
        {
            attributes = Indirect();
            attributes.Elements.SetName("/O", "/" + owner);
            attributes.Elements["/" + key] = value;
            _sharedAttributes[id] = attributes;
        }

        Current.Dictionary.Elements["/A"] = attributes.Reference;
    }

    public void End()
    {
        if (_open.Count == 1)
        {
            throw new InvalidOperationException("No structure element is open.");
        }

        var element = Current;
        if (element.Marking)
        {
            EndMarkedContent(element);
        }

        if (element.Kids is { } kids)
        {
            element.Dictionary.Elements["/K"] = kids.Elements.Count == 1 ? kids.Elements[0] : kids;
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

    /// <summary>Closes every element still open and records the parent tree's next key.</summary>
    public void Finish()
    {
        while (_open.Count > 1)
        {
            End();
        }

        var documentElement = _open[0];
        if (documentElement.Kids is { } kids)
        {
            documentElement.Dictionary.Elements["/K"] = kids;
        }

        _root.Elements.SetInteger("/ParentTreeNextKey", _nextKey);
    }

    private Element Current => _open[^1];

    private XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page is open.");

    private PdfDictionary Indirect()
    {
        var dictionary = new PdfDictionary(_document);
        _document.Internals.AddObject(dictionary);
        return dictionary;
    }

    private Element Open(Tag tag)
    {
        var parent = Current;
        if (parent.Marking)
        {
            EndMarkedContent(parent);
        }

        var dictionary = Indirect();
        dictionary.Elements[S] = Names[tag];
        dictionary.Elements["/P"] = parent.Dictionary.Reference;
        (parent.Kids ??= new PdfArray()).Elements.Add(dictionary.Reference!);
        var element = new Element(dictionary);
        _open.Add(element);
        return element;
    }

    private void BeginMarkedContent(Element element)
    {
        var page = _page ?? throw new InvalidOperationException("No page is open.");
        var mcid = _pageParents!.Elements.Count;
        _pageParents.Elements.Add(element.Dictionary.Reference!);
        if (element.Page is null)
        {
            element.Page = page;
            element.Dictionary.Elements["/Pg"] = page.Reference;
            (element.Kids ??= new PdfArray()).Elements.Add(new PdfInteger(mcid));
        }
        else if (element.Page == page)
        {
            element.Kids!.Elements.Add(new PdfInteger(mcid));
        }
        else
        {
            // Content continued on a later page: a marked-content reference names that page.
            var mcr = new PdfDictionary();
            mcr.Elements.SetName("/Type", "/MCR");
            mcr.Elements["/Pg"] = page.Reference;
            mcr.Elements.SetInteger("/MCID", mcid);
            element.Kids!.Elements.Add(mcr);
        }

        element.InText = PdfRendererExtensions.IsInTextMode(Gfx);
        element.Marking = true;
        Append(new StringBuilder(24).Append(((PdfName)element.Dictionary.Elements[S]!).Value)
            .Append("<</MCID ").Append(mcid.ToString(CultureInfo.InvariantCulture)).Append(">>BDC\n").ToString());
    }

    private void EndMarkedContent(Element element)
    {
        RestoreMode(element.InText);
        Append("EMC\n");
        element.Marking = false;
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

    /// <summary>An open structure element: its dictionary, kids so far, first page and whether its marked content is open.</summary>
    private sealed class Element(PdfDictionary dictionary)
    {
        public PdfDictionary Dictionary { get; } = dictionary;

        public PdfArray? Kids { get; set; }

        public PdfPage? Page { get; set; }

        public bool Marking { get; set; }

        /// <summary>Its marked content was closed for an artifact or a page break and resumes after it.</summary>
        public bool Suspended { get; set; }

        public bool InText { get; set; }
    }
}
