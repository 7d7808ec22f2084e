using System.Globalization;
using System.Text;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// The last corrections to a PDF that PDFsharp 6.2 has written for signing, made after it is written and
/// before the signed byte range is hashed (so the signature covers them). PDFsharp offers no way to make
/// them: it writes every signature with /SubFilter /adbe.pkcs7.detached (PAdES needs /ETSI.CAdES.detached),
/// writes the signature widget without the /F (print) flag PDF/A requires, and always replaces the catalog's
/// /Metadata with its own XMP packet, which cannot state PDF/A-3 or PDF/UA conformance and does not escape XML.
///
/// How: the signature value's placeholder (/Contents) must not move, so everything before it keeps its
/// length (the two SubFilter names are both 20 bytes). The widget and the XMP stream are written after it
/// (PDFsharp numbers the signature field after its value and the metadata last), so they may change length:
/// the cross-reference offsets behind each change, startxref and the /ByteRange are then recomputed.
/// Each step checks the layout it relies on and fails loudly if a PDFsharp update changed it; the tests
/// (pdfsig, qpdf --check, PDFBox preflight) read the result back.
/// </summary>
public static class SignedPdfPatcher
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    /// <summary>Applies the corrections to <paramref name="written"/> and returns the bytes to sign (both byte ranges).</summary>
    public static byte[] Patch(MemoryStream written, byte[] xmp)
    {
        var pdf = written.ToArray();
        var text = Latin1.GetString(pdf);

        // 1. /ByteRange [0 contentsStart contentsEnd rest], written by PDFsharp just before it asked for the signature.
        var byteRangeAt = text.LastIndexOf("/ByteRange", StringComparison.Ordinal);
        var open = text.IndexOf('[', byteRangeAt);
        var close = text.IndexOf(']', open);
        var numbers = text[(open + 1)..close].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
        if (byteRangeAt < 0 || numbers.Length != 4 || numbers[0] != 0)
        {
            throw new InvalidOperationException("The signed PDF has no /ByteRange of the expected form.");
        }

        var contentsStart = (int)numbers[1];
        var contentsEnd = (int)numbers[2];
        var placeholderEnd = close + 1;
        while (placeholderEnd < text.Length && text[placeholderEnd] == ' ')
        {
            placeholderEnd++;
        }

        // 2. SubFilter: same length, before the placeholder.
        var subFilter = text.LastIndexOf("/SubFilter/adbe.pkcs7.detached", contentsStart, StringComparison.Ordinal);
        if (subFilter < 0)
        {
            throw new InvalidOperationException("The signature dictionary has no /adbe.pkcs7.detached SubFilter to correct.");
        }

        var edits = new List<(int Start, int End, string Replacement)>
        {
            (subFilter, subFilter + "/SubFilter/adbe.pkcs7.detached".Length, "/SubFilter/ETSI.CAdES.detached"),
        };

        // 3. The widget: /F 4 (print) instead of its empty /DR, which a signature field does not use.
        var widget = text.IndexOf("/FT/Sig", contentsEnd, StringComparison.Ordinal);
        var widgetEnd = widget < 0 ? -1 : text.IndexOf("endobj", widget, StringComparison.Ordinal);
        var emptyResources = widget < 0 ? -1 : text.IndexOf("/DR<<>>", widget, widgetEnd - widget, StringComparison.Ordinal);
        if (emptyResources < 0)
        {
            throw new InvalidOperationException("The signature widget was not found after the signature value.");
        }

        edits.Add((emptyResources, emptyResources + "/DR<<>>".Length, "/F 4"));

        // 4. The XMP packet: PDFsharp's metadata object is the last one, right before the cross-reference table.
        var metadata = text.LastIndexOf("/Type/Metadata/Subtype/XML", StringComparison.Ordinal);
        var streamStart = metadata < 0 ? -1 : text.IndexOf("<<", text.LastIndexOf(" obj", metadata, StringComparison.Ordinal), StringComparison.Ordinal);
        var objectEnd = metadata < 0 ? -1 : text.IndexOf("endobj", metadata, StringComparison.Ordinal);
        var xref = text.LastIndexOf("\nxref\n", StringComparison.Ordinal) + 1;
        if (metadata < contentsEnd || objectEnd < 0 || xref <= objectEnd)
        {
            throw new InvalidOperationException("PDFsharp's XMP metadata is not the last object after the signature value.");
        }

        edits.Add((streamStart, objectEnd, $"<</Type/Metadata/Subtype/XML/Length {xmp.Length.ToString(CultureInfo.InvariantCulture)}>>\nstream\n"
            + Latin1.GetString(xmp) + "\nendstream\n"));

        // 5. Apply; offsets after the placeholder shift by the edits before them.
        var result = new StringBuilder(text.Length + xmp.Length);
        var at = 0;
        foreach (var (start, end, replacement) in edits.OrderBy(e => e.Start))
        {
            result.Append(text, at, start - at).Append(replacement);
            at = end;
        }

        result.Append(text, at, text.Length - at);
        int Shift(long offset) => (int)offset + edits.Where(e => e.End <= offset).Sum(e => e.Replacement.Length - (e.End - e.Start));

        var patched = result.ToString();
        var newXref = Shift(xref);
        var tableEnd = patched.IndexOf("trailer", newXref, StringComparison.Ordinal);
        var table = new StringBuilder(patched, newXref, tableEnd - newXref, tableEnd - newXref);
        // Entries are "oooooooooo ggggg n \n", 20 bytes each, after "xref\n0 N\n".
        var entries = patched.IndexOf('\n', patched.IndexOf('\n', newXref) + 1) + 1 - newXref;
        for (var e = entries; e + 20 <= table.Length; e += 20)
        {
            if (table[e + 17] == 'n')
            {
                // Overwritten in place (same width): Remove+Insert would move the rest of the table for every entry,
                // quadratic in the object count (a tagged 10,000-binding attestation has ~80,000 objects).
                var offset = long.Parse(table.ToString(e, 10), CultureInfo.InvariantCulture);
                var shifted = Shift(offset).ToString("D10", CultureInfo.InvariantCulture);
                for (var d = 0; d < 10; d++)
                {
                    table[e + d] = shifted[d];
                }
            }
        }

        patched = string.Concat(patched.AsSpan(0, newXref), table.ToString(), patched.AsSpan(tableEnd));
        var startxref = patched.LastIndexOf("startxref\n", StringComparison.Ordinal) + "startxref\n".Length;
        var startxrefEnd = patched.IndexOf('\n', startxref);
        patched = string.Concat(patched.AsSpan(0, startxref), newXref.ToString(CultureInfo.InvariantCulture), patched.AsSpan(startxrefEnd));

        // 6. The byte range now ends at the new length; its placeholder keeps its width.
        var range = $"[0 {contentsStart} {contentsEnd} {patched.Length - contentsEnd}]";
        var width = placeholderEnd - open;
        if (range.Length > width)
        {
            throw new InvalidOperationException("The corrected /ByteRange does not fit its placeholder.");
        }

        var bytes = Latin1.GetBytes(string.Concat(patched.AsSpan(0, open), range.PadRight(width), patched.AsSpan(placeholderEnd)));
        written.SetLength(0);
        written.Write(bytes);

        var signed = new byte[contentsStart + bytes.Length - contentsEnd];
        bytes.AsSpan(0, contentsStart).CopyTo(signed);
        bytes.AsSpan(contentsEnd).CopyTo(signed.AsSpan(contentsStart));
        return signed;
    }
}
