using System.Xml.Linq;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace Compliance.Tests.Features.Attestations;

/// <summary>
/// PDF/UA (tagged PDF): the issued attestation's structure tree and marked content read back with PdfPig. veraPDF
/// is not packaged here, so these are the checks an accessibility reviewer would make of a report like this one.
/// </summary>
public sealed class AttestationAccessibilityTests(AttestationFixture fixture) : IClassFixture<AttestationFixture>
{
    private async Task<byte[]> AcmePdfAsync() =>
        (await fixture.Service.GetFileAsync(fixture.Acme.Id, "pdf", CustomerScope.Unrestricted))!.Content;

    /// <summary>A signed synthetic attestation: the structure tree is written when the signed file is (SignedPdfPatcher).</summary>
    private static async Task<byte[]> SignedAsync(int bindings)
    {
        var document = AttestationPdf.Render(AttestationPdfTests.Synthetic(bindings), new string('a', 64),
            "https://example.test/verify/ABCD-EFGH-JK23", developmentCopy: true);
        var folder = Directory.CreateTempSubdirectory("compliance-ua-").FullName;
        try
        {
            using var certificate = AttestationCertificate.Load(new AttestationOptions(), folder, isProduction: false);
            return (await AttestationSigner.SignAndSaveAsync(document, certificate, null, "ABCD-EFGH-JK23", "officer")).Pdf;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    [Fact]
    public async Task The_issued_attestation_is_marked_tagged_in_english_shows_its_title_and_claims_pdfua1()
    {
        using var pdf = PdfDocument.Open(await AcmePdfAsync());
        var catalog = pdf.Structure.Catalog.CatalogDictionary;
        var tagged = new TaggedPdf(pdf);

        var markInfo = Assert.IsType<DictionaryToken>(tagged.Resolve(catalog.Data["MarkInfo"]));
        Assert.Equal(BooleanToken.True, markInfo.Data["Marked"]);
        Assert.NotNull(tagged.Root);
        Assert.Equal("(en-GB)", catalog.Data["Lang"].ToString());
        var viewer = Assert.IsType<DictionaryToken>(tagged.Resolve(catalog.Data["ViewerPreferences"]));
        Assert.Equal(BooleanToken.True, viewer.Data["DisplayDocTitle"]);
        Assert.False(string.IsNullOrWhiteSpace(pdf.Information.Title));

        Assert.True(pdf.TryGetXmpMetadata(out var xmp));
        var xml = XDocument.Load(new MemoryStream(xmp.GetXmlBytes().ToArray()));
        XNamespace pdfuaid = "http://www.aiim.org/pdfua/ns/id/";
        XNamespace pdfaid = "http://www.aiim.org/pdfa/ns/id/";
        XNamespace schema = "http://www.aiim.org/pdfa/ns/schema#";
        Assert.Equal("1", xml.Descendants(pdfuaid + "part").Single().Value);
        Assert.Equal("3", xml.Descendants(pdfaid + "part").Single().Value);
        // PDF/A accepts a schema it does not predefine only when the packet describes it.
        Assert.Contains(xml.Descendants(schema + "namespaceURI"), n => n.Value == pdfuaid.NamespaceName);
    }

    [Fact]
    public async Task The_title_is_read_first_then_the_sections_in_order_and_every_table_cell_sits_in_a_row_of_a_table()
    {
        using var pdf = PdfDocument.Open(await AcmePdfAsync());
        var tagged = new TaggedPdf(pdf);

        var document = Assert.Single(tagged.Root!.Kids);
        Assert.Equal("Document", document.Type);
        Assert.Equal("H1", document.Kids[0].Type);
        Assert.Equal(Squash("Attestation of AI Model Compliance"), Squash(document.Kids[0].AllText));
        Assert.Equal(
            new[] { "Statement", "Particulars", "Summary by impact level", "1. Workloads and model bindings", "2. Open and waived findings",
                "3. Waivers in force", "4. Transition plans", "5. Approvals relied on" }.Select(Squash),
            document.Kids.Where(e => e.Type == "H2").Select(e => Squash(e.AllText)));

        var elements = tagged.All.ToList();
        Assert.Contains(elements, e => e.Type == "Table");
        Assert.All(elements.Where(e => e.Type is "TH" or "TD"), cell => Assert.Equal("TR", cell.Parent!.Type));
        Assert.All(elements.Where(e => e.Type == "TR"), row =>
        {
            Assert.Equal("Table", row.Parent!.Type);
            Assert.NotEmpty(row.Kids);
            Assert.All(row.Kids, cell => Assert.True(cell.Type is "TH" or "TD", $"a {cell.Type} in a row"));
        });
        Assert.All(elements.Where(e => e.Type == "Table"), table => Assert.All(table.Kids, row => Assert.Equal("TR", row.Type)));
        var headers = elements.Where(e => e.Type == "TH").ToList();
        Assert.Contains(headers, h => Squash(h.AllText) == "Modelandhostmodelid");
        Assert.Contains(headers, h => Squash(h.AllText) == "Verificationcode");
        Assert.All(headers, header => Assert.Contains(
            Assert.IsType<NameToken>(header.Attribute(tagged, "Table", "Scope")).Data, new[] { "Column", "Row" }));
        // A workload's band row is one cell across the table, naming the rows below it.
        var band = elements.First(e => e.Type == "TD" && e.Attribute(tagged, "Table", "ColSpan") is not null);
        Assert.Equal(5, Assert.IsType<NumericToken>(band.Attribute(tagged, "Table", "ColSpan")).Int);
        Assert.Single(band.Parent!.Kids);
    }

    [Fact]
    public async Task The_qr_code_is_a_figure_whose_alternative_text_gives_the_verification_address()
    {
        using var pdf = PdfDocument.Open(await AcmePdfAsync());
        var tagged = new TaggedPdf(pdf);

        var figures = tagged.All.Where(e => e.Type == "Figure").ToList();
        Assert.NotEmpty(figures);
        Assert.All(figures, f => Assert.False(string.IsNullOrWhiteSpace(f.String(tagged, "Alt")), "a figure without alternative text"));
        Assert.Contains($"/verify/{fixture.Acme.VerificationCode}", figures[0].String(tagged, "Alt"));
    }

    [Fact]
    public async Task Every_letter_on_every_page_is_tagged_content_or_an_artifact_and_the_footer_is_an_artifact()
    {
        using var pdf = PdfDocument.Open(await AcmePdfAsync());

        foreach (var page in pdf.GetPages())
        {
            var marked = TaggedPdf.Flatten(page.GetMarkedContents()).Sum(c => c.Letters.Count);
            Assert.True(page.Letters.Count > 0);
            Assert.Equal(page.Letters.Count, marked);
            var artifacts = Squash(string.Concat(TaggedPdf.Flatten(page.GetMarkedContents()).Where(c => c.IsArtifact).SelectMany(c => c.Letters).Select(l => l.Value)));
            Assert.Contains($"Page{page.Number}of{pdf.NumberOfPages}", artifacts);
        }
    }

    [Fact]
    public async Task The_signature_widget_is_the_content_of_a_form_element_and_the_parent_tree_maps_its_key_back_to_it()
    {
        using var pdf = PdfDocument.Open(await AcmePdfAsync());
        var tagged = new TaggedPdf(pdf);

        var form = Assert.Single(tagged.All, e => e.Type == "Form");
        Assert.Equal("Document", form.Parent!.Type);
        Assert.Equal(PdfStructureTree.SignatureDescription, form.String(tagged, "Alt"));
        var objr = Assert.IsType<DictionaryToken>(tagged.Resolve(form.Dictionary.Data["K"]));
        Assert.Equal("OBJR", Assert.IsType<NameToken>(objr.Data["Type"]).Data);
        var widgetReference = Assert.IsType<IndirectReferenceToken>(objr.Data["Obj"]);
        var widget = Assert.IsType<DictionaryToken>(tagged.Resolve(widgetReference));
        Assert.Equal("Sig", Assert.IsType<NameToken>(widget.Data["FT"]).Data);
        Assert.Equal(PdfStructureTree.SignatureDescription, Assert.IsType<StringToken>(widget.Data["TU"]).Data);
        var annotations = Assert.IsType<ArrayToken>(tagged.Resolve(pdf.GetPage(1).Dictionary.Data["Annots"]));
        Assert.Contains(annotations.Data, a => a is IndirectReferenceToken r && r.Data.Equals(widgetReference.Data));

        var key = Assert.IsType<NumericToken>(widget.Data["StructParent"]).Int;
        var root = Assert.IsType<DictionaryToken>(tagged.Resolve(pdf.Structure.Catalog.CatalogDictionary.Data["StructTreeRoot"]));
        var parentTree = Assert.IsType<DictionaryToken>(tagged.Resolve(root.Data["ParentTree"]));
        var nums = Assert.IsType<ArrayToken>(tagged.Resolve(parentTree.Data["Nums"])).Data;
        var at = Enumerable.Range(0, nums.Count / 2).Single(i => ((NumericToken)nums[2 * i]).Int == key);
        var mapped = Assert.IsType<DictionaryToken>(tagged.Resolve(nums[2 * at + 1]));
        Assert.Equal("Form", Assert.IsType<NameToken>(mapped.Data["S"]).Data);
        Assert.True(key < Assert.IsType<NumericToken>(root.Data["ParentTreeNextKey"]).Int);
    }

    [Fact]
    public async Task A_thousand_bindings_tag_the_header_row_once_and_mark_its_repeats_on_later_pages_as_artifacts()
    {
        using var pdf = PdfDocument.Open(await SignedAsync(1000));
        var tagged = new TaggedPdf(pdf);
        var elements = tagged.All.ToList();

        var headers = elements.Where(e => e.Type == "TH" && Squash(e.AllText) == "Modelandhostmodelid").ToList();
        Assert.True(headers.Count == 1, $"the header row is tagged {headers.Count} times");
        var header = headers[0];
        var table = header.Parent!.Parent!;
        Assert.Equal("Table", table.Type);
        // The header row, then 200 workloads' band rows and their 1,000 bindings.
        Assert.Equal(1 + 200 + 1000, table.Kids.Count);
        Assert.Equal(1000, table.Kids.Count(r => r.Kids.Count == 5 && r.Kids.All(c => c.Type == "TD")));
        Assert.Contains(table.Kids, r => Squash(r.AllText).StartsWith("Model1", StringComparison.Ordinal) && r.AllText.Contains("provider.model-01", StringComparison.Ordinal));

        var repeatedOn = pdf.GetPages().Count(page => Squash(string.Concat(
                TaggedPdf.Flatten(page.GetMarkedContents()).Where(c => c.IsArtifact).SelectMany(c => c.Letters).Select(l => l.Value)))
            .Contains("Modelandhostmodelid", StringComparison.Ordinal));
        Assert.True(pdf.NumberOfPages > 20);
        Assert.True(repeatedOn > 15, $"the header row is an artifact on {repeatedOn} pages");
        Assert.All(pdf.GetPages(), page => Assert.Equal(page.Letters.Count, TaggedPdf.Flatten(page.GetMarkedContents()).Sum(c => c.Letters.Count)));
    }
}
