using PdfSharp.Pdf;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// PDF/UA puts every annotation in the structure tree: the signature widget PDFsharp adds while saving becomes the
/// content of a Form element (an OBJR to the widget), and the widget gets a /StructParent key in the parent tree.
/// PDFsharp creates the widget only inside <c>Save</c>, with no hook, so the Form element is added before saving with
/// a padded placeholder where the widget's reference goes, and <see cref="SignedPdfPatcher"/> writes the widget's
/// object number into it (same length) and the key into the widget.
/// </summary>
public static class SignatureFieldTag
{
    /// <summary>The Form element's alternative text and the widget's /TU.</summary>
    public const string Description = "Digital signature of this attestation";

    /// <summary>"0 0 R" (object 0, i.e. null, should the patcher never run) padded to fit any object number.</summary>
    private const string Placeholder = "0 0 R            ";

    internal static ReadOnlySpan<byte> PlaceholderBytes => "0 0 R            "u8;

    /// <summary>
    /// Adds the Form element for the signature widget on <paramref name="page"/> to a tagged document; returns the
    /// parent-tree key the widget must carry, or null when the document is not tagged.
    /// </summary>
    public static int? Reserve(PdfDocument document, PdfPage page)
    {
        var catalog = document.Internals.Catalog;
        if (catalog.Elements.GetDictionary("/StructTreeRoot") is not { } root
            || root.Elements.GetDictionary("/K") is not { } documentElement
            || documentElement.Elements.GetArray("/K") is not { } documentKids
            || root.Elements.GetDictionary("/ParentTree")?.Elements.GetArray("/Nums") is not { } nums)
        {
            return null;
        }

        var key = root.Elements.GetInteger("/ParentTreeNextKey");
        var form = new PdfDictionary(document);
        document.Internals.AddObject(form);
        form.Elements.SetName("/S", "/Form");
        form.Elements["/P"] = documentElement.Reference;
        form.Elements["/Pg"] = page.Reference;
        form.Elements.SetString("/Alt", Description);
        var objr = new PdfDictionary();
        objr.Elements.SetName("/Type", "/OBJR");
        objr.Elements["/Pg"] = page.Reference;
        objr.Elements["/Obj"] = new PdfLiteral(Placeholder);
        form.Elements["/K"] = objr;
        documentKids.Elements.Add(form.Reference!);
        nums.Elements.Add(new PdfInteger(key));
        nums.Elements.Add(form.Reference!);
        root.Elements.SetInteger("/ParentTreeNextKey", key + 1);
        return key;
    }
}
