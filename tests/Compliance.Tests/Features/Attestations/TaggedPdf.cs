using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace Compliance.Tests.Features.Attestations;

/// <summary>
/// A tagged PDF's structure tree read back with PdfPig: every structure element with its type, parent, attributes
/// and the text of the marked content it owns (found by page and MCID in the page's content stream).
/// </summary>
internal sealed class TaggedPdf
{
    private readonly PdfDocument _pdf;
    private readonly Dictionary<IndirectReference, int> _pageNumbers = [];
    private readonly Dictionary<(int Page, int Mcid), string> _markedText = [];

    public TaggedPdf(PdfDocument pdf)
    {
        _pdf = pdf;
        var catalog = pdf.Structure.Catalog.CatalogDictionary;
        CollectPages(catalog.Data["Pages"], _pageNumbers);
        foreach (var page in pdf.GetPages())
        {
            foreach (var content in Flatten(page.GetMarkedContents()))
            {
                if (!content.IsArtifact && content.MarkedContentIdentifier >= 0)
                {
                    _markedText[(page.Number, content.MarkedContentIdentifier)] = string.Concat(content.Letters.Select(l => l.Value));
                }
            }
        }

        if (catalog.Data.TryGetValue("StructTreeRoot", out var root))
        {
            Root = Read((DictionaryToken)Resolve(root), null, null);
        }
    }

    /// <summary>The structure tree root (type "StructTreeRoot"); null when the document is not tagged.</summary>
    public Element? Root { get; }

    public IEnumerable<Element> All => Root is null ? [] : Root.Descendants();

    public IToken Resolve(IToken token) => token is IndirectReferenceToken reference ? _pdf.Structure.GetObject(reference.Data).Data : token;

    public static IEnumerable<MarkedContentElement> Flatten(IEnumerable<MarkedContentElement> contents) =>
        contents.SelectMany(c => new[] { c }.Concat(Flatten(c.Children)));

    private void CollectPages(IToken node, Dictionary<IndirectReference, int> numbers)
    {
        var dictionary = (DictionaryToken)Resolve(node);
        if (dictionary.Data.TryGetValue("Kids", out var kids))
        {
            foreach (var kid in ((ArrayToken)Resolve(kids)).Data)
            {
                var child = (DictionaryToken)Resolve(kid);
                if (child.Data.TryGetValue("Kids", out _))
                {
                    CollectPages(kid, numbers);
                }
                else
                {
                    numbers[((IndirectReferenceToken)kid).Data] = numbers.Count + 1;
                }
            }
        }
    }

    private Element Read(DictionaryToken dictionary, Element? parent, int? inheritedPage)
    {
        var type = dictionary.Data.TryGetValue("S", out var s) ? ((NameToken)Resolve(s)).Data : "StructTreeRoot";
        var page = dictionary.Data.TryGetValue("Pg", out var pg) ? _pageNumbers[((IndirectReferenceToken)pg).Data] : inheritedPage;
        var element = new Element(type, parent, dictionary);
        if (dictionary.Data.TryGetValue("K", out var k))
        {
            var kids = Resolve(k) is ArrayToken array ? array.Data : [k];
            foreach (var kid in kids)
            {
                switch (kid)
                {
                    case NumericToken mcid:
                        element.Text.Append(_markedText.GetValueOrDefault((page ?? 0, mcid.Int)));
                        break;
                    default:
                        var child = (DictionaryToken)Resolve(kid);
                        if (child.Data.TryGetValue("Type", out var t) && t is NameToken { Data: "MCR" })
                        {
                            var mcrPage = _pageNumbers[((IndirectReferenceToken)child.Data["Pg"]).Data];
                            element.Text.Append(_markedText.GetValueOrDefault((mcrPage, ((NumericToken)child.Data["MCID"]).Int)));
                        }
                        else if (!(child.Data.TryGetValue("Type", out var o) && o is NameToken { Data: "OBJR" }))
                        {
                            element.Kids.Add(Read(child, element, page));
                        }

                        break;
                }
            }
        }

        return element;
    }

    /// <summary>One structure element: its type (H1, P, Table, TR, TH, TD, Figure…) and the text it owns.</summary>
    internal sealed class Element(string type, Element? parent, DictionaryToken dictionary)
    {
        public string Type { get; } = type;

        public Element? Parent { get; } = parent;

        public DictionaryToken Dictionary { get; } = dictionary;

        public List<Element> Kids { get; } = [];

        public System.Text.StringBuilder Text { get; } = new();

        /// <summary>Its own text and its descendants', in reading order.</summary>
        public string AllText => Text + string.Concat(Kids.Select(k => k.AllText));

        public IEnumerable<Element> Descendants() => Kids.SelectMany(k => new[] { k }.Concat(k.Descendants()));

        public string? String(TaggedPdf pdf, string key) =>
            Dictionary.Data.TryGetValue(key, out var token) ? pdf.Resolve(token) switch
            {
                StringToken s => s.Data,
                HexToken h => h.Data,
                _ => null,
            } : null;

        /// <summary>A standard attribute (e.g. Table's Scope or ColSpan) from the element's /A.</summary>
        public IToken? Attribute(TaggedPdf pdf, string owner, string key)
        {
            if (!Dictionary.Data.TryGetValue("A", out var a))
            {
                return null;
            }

            var attributes = pdf.Resolve(a) is ArrayToken array ? array.Data.Select(pdf.Resolve) : [pdf.Resolve(a)];
            return attributes.OfType<DictionaryToken>()
                .Where(d => d.Data.TryGetValue("O", out var o) && o is NameToken n && n.Data == owner)
                .Select(d => d.Data.TryGetValue(key, out var value) ? value : null)
                .FirstOrDefault(v => v is not null);
        }

        public override string ToString() => $"{Type}: {AllText}";
    }
}
