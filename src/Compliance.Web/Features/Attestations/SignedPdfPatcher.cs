using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// The last corrections to a PDF that PDFsharp 6.2 has written for signing, made after it is written and
/// before the signed byte range is hashed (so the signature covers them). PDFsharp offers no way to make
/// them: it writes every signature with /SubFilter /adbe.pkcs7.detached (PAdES needs /ETSI.CAdES.detached),
/// writes the signature widget without the /F (print) flag PDF/A requires and outside the structure tree PDF/UA
/// requires, and always replaces the catalog's /Metadata with its own XMP packet, which cannot state PDF/A-3 or
/// PDF/UA conformance and does not escape XML.
///
/// How: the signature value's placeholder (/Contents) must not move, so everything before it keeps its
/// length (the two SubFilter names are both 20 bytes; the Form element's object reference to the widget is written
/// into a padded placeholder, see <see cref="SignatureFieldTag"/>). The widget and the XMP stream are written after
/// it (PDFsharp numbers the signature field after its value and the metadata last), so they may change length:
/// the cross-reference offsets behind each change, startxref and the /ByteRange are then recomputed.
/// Each step checks the layout it relies on and fails loudly if a PDFsharp update changed it; the tests
/// (pdfsig, qpdf --check, PDFBox preflight) read the result back. Works on the bytes (a tagged 10,000-binding
/// attestation is ~8 MB): one copy out, one copy of the signed ranges.
/// </summary>
public static class SignedPdfPatcher
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    /// <summary>Applies the corrections to <paramref name="written"/> and returns the bytes to sign (both byte ranges).</summary>
    /// <param name="widgetKey">The parent-tree key reserved for the signature widget (<see cref="SignatureFieldTag.Reserve"/>); null when untagged.</param>
    public static byte[] Patch(MemoryStream written, byte[] xmp, int? widgetKey = null)
    {
        ReadOnlySpan<byte> pdf = written.GetBuffer().AsSpan(0, (int)written.Length);

        // 1. /ByteRange [0 contentsStart contentsEnd rest], written by PDFsharp just before it asked for the signature.
        var byteRangeAt = pdf.LastIndexOf("/ByteRange"u8);
        var open = byteRangeAt < 0 ? -1 : pdf[byteRangeAt..].IndexOf((byte)'[') + byteRangeAt;
        var close = open < byteRangeAt ? -1 : pdf[open..].IndexOf((byte)']') + open;
        var numbers = close < open ? [] : Latin1.GetString(pdf[(open + 1)..close]).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
        if (numbers.Length != 4 || numbers[0] != 0)
        {
            throw new InvalidOperationException("The signed PDF has no /ByteRange of the expected form.");
        }

        var contentsStart = (int)numbers[1];
        var contentsEnd = (int)numbers[2];
        var placeholderEnd = close + 1;
        while (placeholderEnd < pdf.Length && pdf[placeholderEnd] == ' ')
        {
            placeholderEnd++;
        }

        // 2. SubFilter: same length, before the placeholder.
        var subFilter = pdf[..contentsStart].LastIndexOf("/SubFilter/adbe.pkcs7.detached"u8);
        if (subFilter < 0)
        {
            throw new InvalidOperationException("The signature dictionary has no /adbe.pkcs7.detached SubFilter to correct.");
        }

        var edits = new List<Edit> { new(subFilter, subFilter + "/SubFilter/adbe.pkcs7.detached"u8.Length, "/SubFilter/ETSI.CAdES.detached"u8.ToArray()) };

        // 3. The widget: /F 4 (print) instead of its empty /DR, which a signature field does not use; when tagged, its
        //    parent-tree key and a description (PDF/UA: a form field's /TU).
        var widget = pdf[contentsEnd..].IndexOf("/FT/Sig"u8) is var w && w >= 0 ? w + contentsEnd : -1;
        var widgetEnd = widget < 0 ? -1 : pdf[widget..].IndexOf("endobj"u8) + widget;
        var emptyResources = widget < 0 ? -1 : pdf[widget..widgetEnd].IndexOf("/DR<<>>"u8) is var r && r >= 0 ? r + widget : -1;
        if (emptyResources < 0)
        {
            throw new InvalidOperationException("The signature widget was not found after the signature value.");
        }

        var widgetEntries = widgetKey is { } key
            ? $"/F 4/StructParent {key.ToString(CultureInfo.InvariantCulture)}/TU({SignatureFieldTag.Description})"
            : "/F 4";
        edits.Add(new(emptyResources, emptyResources + "/DR<<>>"u8.Length, Latin1.GetBytes(widgetEntries)));

        // 4. The Form element's reference to the widget, in its padded placeholder (same length, wherever it is).
        if (widgetKey is not null)
        {
            var placeholder = SignatureFieldTag.PlaceholderBytes;
            var at = pdf.IndexOf(placeholder);
            if (at < 0 || pdf[(at + 1)..].IndexOf(placeholder) >= 0)
            {
                throw new InvalidOperationException("The signature's Form element has no single placeholder for the widget's reference.");
            }

            var objectHeader = pdf[..widget].LastIndexOf(" 0 obj"u8);
            var numberStart = objectHeader < 0 ? -1 : pdf[..objectHeader].LastIndexOf((byte)'\n') + 1;
            if (numberStart < 0 || !int.TryParse(Latin1.GetString(pdf[numberStart..objectHeader]), out _)
                || objectHeader - numberStart + " 0 R".Length > placeholder.Length)
            {
                throw new InvalidOperationException("The signature widget's object number was not found.");
            }

            var reference = Latin1.GetString(pdf[numberStart..objectHeader]) + " 0 R";

            edits.Add(new(at, at + placeholder.Length, Latin1.GetBytes(reference.PadRight(placeholder.Length))));
        }

        // 5. The XMP packet: PDFsharp's metadata object is the last one, right before the cross-reference table.
        var metadata = pdf.LastIndexOf("/Type/Metadata/Subtype/XML"u8);
        var streamStart = metadata < 0 ? -1 : pdf[..metadata].LastIndexOf(" obj"u8) is var o && o >= 0 ? pdf[o..].IndexOf("<<"u8) + o : -1;
        var objectEnd = metadata < 0 ? -1 : pdf[metadata..].IndexOf("endobj"u8) + metadata;
        var xref = pdf.LastIndexOf("\nxref\n"u8) + 1;
        if (metadata < contentsEnd || streamStart < 0 || objectEnd < metadata || xref <= objectEnd)
        {
            throw new InvalidOperationException("PDFsharp's XMP metadata is not the last object after the signature value.");
        }

        var metadataObject = new MemoryStream(xmp.Length + 80);
        metadataObject.Write(Latin1.GetBytes($"<</Type/Metadata/Subtype/XML/Length {xmp.Length.ToString(CultureInfo.InvariantCulture)}>>\nstream\n"));
        metadataObject.Write(xmp);
        metadataObject.Write("\nendstream\n"u8);
        edits.Add(new(streamStart, objectEnd, metadataObject.ToArray()));

        // 6. Apply, up to the cross-reference table; offsets after an edit shift by the edits before them.
        edits.Sort((a, b) => a.Start.CompareTo(b.Start));
        var tableEnd = pdf[xref..].IndexOf("trailer"u8) + xref;
        var startxref = pdf.LastIndexOf("startxref\n"u8) + "startxref\n"u8.Length;
        var startxrefEnd = pdf[startxref..].IndexOf((byte)'\n') + startxref;
        if (tableEnd < xref || startxref < tableEnd || startxrefEnd < startxref)
        {
            throw new InvalidOperationException("The cross-reference table or startxref is not where PDFsharp writes them.");
        }

        int Shift(long offset)
        {
            var shifted = offset;
            foreach (var e in edits)
            {
                if (e.End <= offset)
                {
                    shifted += e.Replacement.Length - (e.End - e.Start);
                }
            }

            return (int)shifted;
        }

        var newXref = Shift(xref);
        var newStartxref = Latin1.GetBytes(newXref.ToString(CultureInfo.InvariantCulture));
        var length = pdf.Length + edits.Sum(e => e.Replacement.Length - (e.End - e.Start)) + newStartxref.Length - (startxrefEnd - startxref);
        var bytes = new byte[length];
        var from = 0;
        var to = 0;
        foreach (var e in edits)
        {
            pdf[from..e.Start].CopyTo(bytes.AsSpan(to));
            to += e.Start - from;
            e.Replacement.CopyTo(bytes.AsSpan(to));
            to += e.Replacement.Length;
            from = e.End;
        }

        pdf[from..startxref].CopyTo(bytes.AsSpan(to));
        to += startxref - from;
        newStartxref.CopyTo(bytes.AsSpan(to));
        to += newStartxref.Length;
        pdf[startxrefEnd..].CopyTo(bytes.AsSpan(to));

        // 7. The table's in-use entries, "oooooooooo ggggg n \n" (20 bytes) after "xref\n0 N\n", overwritten in place.
        var table = bytes.AsSpan(newXref, tableEnd - xref);
        var firstEntry = table.IndexOf((byte)'\n') + 1;
        firstEntry += table[firstEntry..].IndexOf((byte)'\n') + 1;
        for (var e = firstEntry; e + 20 <= table.Length; e += 20)
        {
            if (table[e + 17] == 'n')
            {
                if (!Utf8Parser.TryParse(table.Slice(e, 10), out long offset, out var consumed) || consumed != 10
                    || !Utf8Formatter.TryFormat(Shift(offset), table.Slice(e, 10), out _, new StandardFormat('D', 10)))
                {
                    throw new InvalidOperationException("A cross-reference entry is not of the form PDFsharp writes.");
                }
            }
        }

        // 8. The byte range now ends at the new length; its placeholder keeps its width.
        var range = Latin1.GetBytes($"[0 {contentsStart} {contentsEnd} {bytes.Length - contentsEnd}]");
        var width = placeholderEnd - open;
        if (range.Length > width)
        {
            throw new InvalidOperationException("The corrected /ByteRange does not fit its placeholder.");
        }

        range.CopyTo(bytes.AsSpan(open));
        bytes.AsSpan(open + range.Length, width - range.Length).Fill((byte)' ');
        written.SetLength(0);
        written.Write(bytes);

        var signed = new byte[contentsStart + bytes.Length - contentsEnd];
        bytes.AsSpan(0, contentsStart).CopyTo(signed);
        bytes.AsSpan(contentsEnd).CopyTo(signed.AsSpan(contentsStart));
        return signed;
    }

    private readonly record struct Edit(int Start, int End, byte[] Replacement);
}
