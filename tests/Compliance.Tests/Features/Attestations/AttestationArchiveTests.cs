using System.Text.RegularExpressions;
using System.Xml.Linq;
using Compliance.Web.Auth;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace Compliance.Tests.Features.Attestations;

/// <summary>PDF/A-3b: the issued PDF read back with PdfPig and checked by Apache PDFBox preflight (Debian's libpdfbox2-java).</summary>
public sealed partial class AttestationArchiveTests(AttestationFixture fixture) : IClassFixture<AttestationFixture>, IDisposable
{
    /// <summary>Debian's jars; preflight needs the activation and JAXB APIs, which Java 11+ no longer carries.</summary>
    private static readonly string ClassPath = string.Join(':', new[]
    {
        "preflight.jar", "pdfbox2.jar", "fontbox2.jar", "xmpbox.jar", "commons-logging.jar", "javax.activation.jar", "jaxb-api.jar",
    }.Select(jar => Path.Combine("/usr/share/java", jar)));

    /// <summary>
    /// PDFBox 2 preflight validates PDF/A-1b only. These are its PDF/A-1 rules that PDF/A-3 (ISO 19005-3) relaxes,
    /// each tied to the exact message, so any other finding, or one of these in another form, fails the test.
    /// </summary>
    private static readonly (string Code, string Message, string WhyPdfA3Allows)[] PermittedByPdfA3 =
    [
        ("1.2.9", "EmbeddedFile entry is present in a FileSpecification dictionary", "6.8: embedded files are allowed as associated files"),
        ("1.4.7", "EmbeddedFile entry is present in the Names dictionary", "6.8: embedded files are allowed as associated files"),
        ("3.1.11", "The CIDSet entry is missing for the Composite Subset", "6.2.11.4.2: CIDSet is optional"),
        ("5.3.1", "widget annotation lacks an appearance dictionary", "6.3.3: no appearance needed for a zero-size (invisible) signature widget"),
        ("7.11.2", "part must be 1", "the identification says part 3, which is what this file claims"),
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("compliance-pdfa-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<byte[]> AcmePdfAsync() =>
        (await fixture.Service.GetFileAsync(fixture.Acme.Id, "pdf", CustomerScope.Unrestricted))!.Content;

    [GeneratedRegex(@"^(\d+(?:\.\d+)+) : (.*)$", RegexOptions.Multiline)]
    private static partial Regex PreflightError();

    [Fact]
    public async Task Pdfbox_preflight_finds_nothing_that_pdfa3_forbids()
    {
        Assert.True(File.Exists("/usr/share/java/preflight.jar") && File.Exists("/usr/share/java/jaxb-api.jar"),
            "Apache PDFBox preflight is missing: scripts/test.sh installs libpdfbox2-java, libactivation-java and libjaxb-api-java");
        var file = Path.Combine(_folder, "attestation.pdf");
        await File.WriteAllBytesAsync(file, await AcmePdfAsync());

        var (_, output) = AttestationFixture.Run("java", "-cp", ClassPath, "org.apache.pdfbox.preflight.Validator_A1b", file);

        Assert.DoesNotContain("Exception", output);
        Assert.Matches("is (not )?a valid PDF/A-1b file", output);
        var errors = PreflightError().Matches(output).Select(m => (Code: m.Groups[1].Value, Message: m.Groups[2].Value.Trim())).ToList();
        var forbidden = errors.Where(e => !PermittedByPdfA3.Any(p => p.Code == e.Code && e.Message.Contains(p.Message, StringComparison.Ordinal))).ToList();
        Assert.True(forbidden.Count == 0, "preflight: " + string.Join("; ", forbidden.Select(e => $"{e.Code} {e.Message}")));
    }

    [Fact]
    public async Task The_json_snapshot_is_embedded_as_the_pdfs_associated_source_file()
    {
        var json = (await fixture.Service.GetFileAsync(fixture.Acme.Id, "json", CustomerScope.Unrestricted))!.Content;
        using var pdf = PdfDocument.Open(await AcmePdfAsync());

        Assert.True(pdf.Advanced.TryGetEmbeddedFiles(out var files));
        var embedded = Assert.Single(files);
        Assert.Equal($"attestation-{fixture.Acme.VerificationCode}.json", embedded.Name);
        Assert.Equal(json, embedded.Bytes.ToArray());

        var catalog = pdf.Structure.Catalog.CatalogDictionary;
        var associated = Assert.IsType<ArrayToken>(catalog.Data["AF"]);
        var reference = Assert.IsType<IndirectReferenceToken>(Assert.Single(associated.Data));
        var specification = Assert.IsType<DictionaryToken>(pdf.Structure.GetObject(reference.Data).Data);
        Assert.Equal(NameToken.Create("Source"), specification.Data["AFRelationship"]);
        Assert.Equal(embedded.Name, Assert.IsType<StringToken>(specification.Data["UF"]).Data);
        Assert.True(catalog.ContainsKey(NameToken.OutputIntents));
        Assert.Equal("(en-GB)", catalog.Data["Lang"].ToString());
    }

    [Fact]
    public async Task Xmp_metadata_claims_pdfa3b_and_repeats_the_document_information()
    {
        using var pdf = PdfDocument.Open(await AcmePdfAsync());

        Assert.Equal(1.7, pdf.Version, 3);
        Assert.True(pdf.TryGetXmpMetadata(out var xmp));
        // Parsed from the bytes: PdfPig's GetXDocument reads the UTF-8 packet as Latin-1.
        var xml = XDocument.Load(new MemoryStream(xmp.GetXmlBytes().ToArray()));
        XNamespace pdfaid = "http://www.aiim.org/pdfa/ns/id/";
        XNamespace dc = "http://purl.org/dc/elements/1.1/";
        Assert.Equal("3", xml.Descendants(pdfaid + "part").Single().Value);
        Assert.Equal("B", xml.Descendants(pdfaid + "conformance").Single().Value);
        Assert.Equal(pdf.Information.Title, xml.Descendants(dc + "title").Single().Value);
        Assert.Equal(pdf.Information.Author, xml.Descendants(dc + "creator").Single().Value);
        Assert.All(pdf.GetPages().SelectMany(p => p.Letters).Select(l => l.FontName).Distinct(),
            font => Assert.Contains("+Liberation", font)); // every font embedded as a subset
    }
}
