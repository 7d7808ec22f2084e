using System.Globalization;
using System.Security;
using System.Text;
using PdfSharp.Pdf;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// What makes an attestation a PDF/A-3b record: the sRGB output intent every colour is interpreted against,
/// the JSON snapshot embedded as an associated file (so the PDF alone carries the machine-readable statement),
/// and XMP metadata that identifies the conformance (PDF/A-3b, and PDF/UA-1 for the tagging AttestationPdf does)
/// and repeats the document information.
/// </summary>
public static class AttestationArchive
{
    public const string SnapshotMediaType = "application/json";

    /// <summary>Adds the output intent and the embedded snapshot; call after rendering, before signing.</summary>
    public static void Prepare(PdfDocument document, string snapshotJson, string verificationCode, DateTime asOf)
    {
        document.Version = 17; // PDF/A-3 is based on PDF 1.7
        // No page transparency group: nothing is transparent, and PDF/A-1 readers reject the group PDFsharp adds by default.
        document.Options.ColorMode = PdfColorMode.Undefined;
        var catalog = document.Internals.Catalog;
        catalog.Elements.SetString("/Lang", AttestationSigner.Language);
        catalog.Elements.SetObject("/OutputIntents", new PdfArray(document, OutputIntent(document)));

        // Compressed: the snapshot of 1,000 bindings is ~600 KB of JSON and ~10× smaller deflated, which every later step
        // (saving, hashing, signing, storing) then handles. PdfEmbeddedFileStream would store it raw, so it is built here.
        var raw = Encoding.UTF8.GetBytes(snapshotJson);
        var json = new PdfDictionary(document);
        json.CreateStream(Deflate(raw));
        json.Elements.SetName("/Type", "/EmbeddedFile");
        json.Elements.SetName("/Subtype", "/application#2Fjson");
        json.Elements.SetName("/Filter", "/FlateDecode");
        var parameters = new PdfDictionary(document);
        parameters.Elements.SetInteger("/Size", raw.Length);
        // The snapshot's own time, not the moment of rendering: the file describes the statement, not the run.
        parameters.Elements.SetDateTime("/CreationDate", asOf);
        parameters.Elements.SetDateTime("/ModDate", asOf);
        json.Elements.SetObject("/Params", parameters);
        document.Internals.AddObject(json);

        var name = $"attestation-{verificationCode}.json";
        var file = new PdfDictionary(document);
        file.Elements.SetName("/Type", "/Filespec");
        file.Elements.SetString("/F", name);
        file.Elements.SetString("/UF", name);
        file.Elements.SetString("/Desc", "The attestation's JSON snapshot: the machine-readable statement this document was rendered from");
        file.Elements.SetName("/AFRelationship", "/Source");
        var streams = new PdfDictionary(document);
        streams.Elements.SetReference("/F", json);
        streams.Elements.SetReference("/UF", json);
        file.Elements.SetObject("/EF", streams);
        document.Internals.AddObject(file);
        var names = new PdfDictionary(document);
        var embedded = new PdfDictionary(document);
        embedded.Elements.SetObject("/Names", new PdfArray(document, new PdfString(name), file.Reference!));
        names.Elements.SetObject("/EmbeddedFiles", embedded);
        catalog.Elements.SetObject("/Names", names);
        catalog.Elements.SetObject("/AF", new PdfArray(document, file.Reference!));
    }

    private static byte[] Deflate(byte[] data)
    {
        using var compressed = new MemoryStream(data.Length / 8);
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return compressed.ToArray();
    }

    /// <summary>sRGB IEC61966-2.1, the profile PDFsharp itself ships as a resource (no system path at run time).</summary>
    private static PdfDictionary OutputIntent(PdfDocument document)
    {
        using var resource = typeof(PdfDocument).Assembly.GetManifestResourceStream("PdfSharp.Resources.sRGB2014.icc")
            ?? throw new InvalidOperationException("PDFsharp's sRGB profile resource was not found.");
        using var buffer = new MemoryStream();
        resource.CopyTo(buffer);
        var profile = new PdfDictionary(document);
        profile.CreateStream(buffer.ToArray());
        profile.Elements.SetInteger("/N", 3);
        document.Internals.AddObject(profile);

        var intent = new PdfDictionary(document);
        intent.Elements.SetName("/Type", "/OutputIntent");
        intent.Elements.SetName("/S", "/GTS_PDFA1");
        intent.Elements.SetString("/OutputConditionIdentifier", "sRGB IEC61966-2.1");
        intent.Elements.SetString("/RegistryName", "http://www.color.org");
        intent.Elements.SetString("/Info", "sRGB IEC61966-2.1");
        intent.Elements.SetReference("/DestOutputProfile", profile);
        return intent;
    }

    /// <summary>
    /// The XMP packet: PDF/A-3b and PDF/UA-1 identification (the pdfuaid schema described by a PDF/A extension
    /// schema, as PDF/A requires for any schema it does not predefine), and the document information repeated as
    /// PDF/A requires (title, author, subject, keywords, creator, producer, creation date, each equal to the Info entry).
    /// </summary>
    public static byte[] Xmp(PdfDocumentInformation info, string language)
    {
        static string X(string value) => SecurityElement.Escape(value);
        var created = info.CreationDate.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var xml = $"""
            <?xpacket begin="{'\uFEFF'}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
             <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
               <pdfaid:part>3</pdfaid:part>
               <pdfaid:conformance>B</pdfaid:conformance>
              </rdf:Description>
              <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
               <pdfuaid:part>1</pdfuaid:part>
              </rdf:Description>
              <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
                xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
               <pdfaExtension:schemas>
                <rdf:Bag>
                 <rdf:li rdf:parseType="Resource">
                  <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
                  <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
                  <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
                  <pdfaSchema:property>
                   <rdf:Seq>
                    <rdf:li rdf:parseType="Resource">
                     <pdfaProperty:name>part</pdfaProperty:name>
                     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
                     <pdfaProperty:category>internal</pdfaProperty:category>
                     <pdfaProperty:description>Indicates which part of ISO 14289 (PDF/UA) the document conforms to</pdfaProperty:description>
                    </rdf:li>
                   </rdf:Seq>
                  </pdfaSchema:property>
                 </rdf:li>
                </rdf:Bag>
               </pdfaExtension:schemas>
              </rdf:Description>
              <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
               <dc:format>application/pdf</dc:format>
               <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{X(info.Title)}</rdf:li></rdf:Alt></dc:title>
               <dc:creator><rdf:Seq><rdf:li>{X(info.Author)}</rdf:li></rdf:Seq></dc:creator>
               <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{X(info.Subject)}</rdf:li></rdf:Alt></dc:description>
               <dc:language><rdf:Bag><rdf:li>{X(language)}</rdf:li></rdf:Bag></dc:language>
              </rdf:Description>
              <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
               <pdf:Producer>{X(info.Producer)}</pdf:Producer>
               <pdf:Keywords>{X(info.Keywords)}</pdf:Keywords>
              </rdf:Description>
              <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
               <xmp:CreatorTool>{X(info.Creator)}</xmp:CreatorTool>
               <xmp:CreateDate>{created}</xmp:CreateDate>
               <xmp:ModifyDate>{created}</xmp:ModifyDate>
               <xmp:MetadataDate>{created}</xmp:MetadataDate>
              </rdf:Description>
             </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="r"?>
            """;
        return Encoding.UTF8.GetBytes(xml);
    }
}
