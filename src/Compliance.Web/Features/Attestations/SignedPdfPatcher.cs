using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// The last corrections to a PDF that PDFsharp 6.2 has written for signing, made after it is written and
/// before the signed byte range is hashed (so the signature covers them). PDFsharp offers no way to make
/// them: it writes every signature with /SubFilter /adbe.pkcs7.detached (PAdES needs /ETSI.CAdES.detached),
/// writes the signature widget without the /F (print) flag PDF/A requires, and always replaces the catalog's
/// /Metadata with its own XMP packet, which cannot state PDF/A-3 or PDF/UA conformance and does not escape XML.
/// It also writes the structure tree of a tagged attestation (<see cref="PdfStructureTree"/>) as new objects before
/// the cross-reference table, fills the catalog's placeholder for its root, and gives the widget its parent-tree key.
///
/// How: the signature value's placeholder (/Contents) must not move, so everything before it keeps its
/// length (the two SubFilter names are both 20 bytes; the catalog's /StructTreeRoot reference is a padded
/// placeholder). The widget and the XMP stream are written after it (PDFsharp numbers the signature field after its
/// value and the metadata last), so they may change length; the new objects go after them, and the cross-reference
/// table, the trailer's /Size, startxref and the /ByteRange are rewritten. Each step checks the layout it relies on
/// and fails loudly if a PDFsharp update changed it; the tests (pdfsig, qpdf --check, PDFBox preflight, the structure
/// tree read back) read the result. Works on the bytes: one copy out, one copy of the signed ranges.
/// </summary>
public static class SignedPdfPatcher
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    /// <summary>Applies the corrections to <paramref name="written"/> and returns the bytes to sign (both byte ranges).</summary>
    /// <param name="tree">The structure tree to write; null when the document is not tagged.</param>
    internal static byte[] Patch(MemoryStream written, byte[] xmp, PdfStructureTree? tree)
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
        var objectHeader = widget < 0 ? -1 : pdf[..widget].LastIndexOf(" 0 obj"u8);
        var numberStart = objectHeader < 0 ? -1 : pdf[..objectHeader].LastIndexOf((byte)'\n') + 1;
        if (emptyResources < 0 || numberStart < 0 || !int.TryParse(Latin1.GetString(pdf[numberStart..objectHeader]), out var widgetNumber))
        {
            throw new InvalidOperationException("The signature widget was not found after the signature value.");
        }

        var widgetEntries = tree is not null
            ? $"/F 4/StructParent {tree.WidgetKey.ToString(CultureInfo.InvariantCulture)}/TU({PdfStructureTree.SignatureDescription})"
            : "/F 4";
        edits.Add(new(emptyResources, emptyResources + "/DR<<>>"u8.Length, Latin1.GetBytes(widgetEntries)));

        // 4. The XMP packet: PDFsharp's metadata object is the last one, right before the cross-reference table.
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

        // 5. The cross-reference table "xref\n0 N\n" + N entries "oooooooooo ggggg n \n" (20 bytes), the trailer, startxref.
        var header = xref + "xref\n"u8.Length;
        var headerEnd = pdf[header..].IndexOf((byte)'\n') + header;
        var count = headerEnd > header && pdf[header] == '0' && pdf[header + 1] == ' ' ? int.Parse(Latin1.GetString(pdf[(header + 2)..headerEnd]), CultureInfo.InvariantCulture) : -1;
        var entries = headerEnd + 1;
        var trailer = entries + 20 * count;
        var startxref = pdf.LastIndexOf("startxref\n"u8) + "startxref\n"u8.Length;
        var startxrefEnd = pdf[startxref..].IndexOf((byte)'\n') + startxref;
        var size = pdf[trailer..].IndexOf("/Size "u8) + trailer + "/Size "u8.Length;
        var sizeEnd = size;
        while (sizeEnd < pdf.Length && char.IsAsciiDigit((char)pdf[sizeEnd]))
        {
            sizeEnd++;
        }

        if (count < 1 || !pdf[trailer..].StartsWith("trailer"u8) || startxref < trailer || startxrefEnd < startxref || size < trailer || sizeEnd == size)
        {
            throw new InvalidOperationException("The cross-reference table, trailer or startxref is not where PDFsharp writes them.");
        }

        // 6. The structure tree: new objects numbered after PDFsharp's, the catalog's placeholder pointing at its root.
        var treeOffsets = new List<int>();
        var treeObjects = ArraySegment<byte>.Empty;
        if (tree is not null)
        {
            treeObjects = tree.Write(count, widgetNumber, treeOffsets, out var root);
            var placeholder = PdfStructureTree.PlaceholderBytes;
            var rootAt = pdf[..contentsStart].IndexOf("/StructTreeRoot"u8);
            var at = rootAt < 0 ? -1 : pdf[rootAt..].IndexOf(placeholder) + rootAt;
            if (at < rootAt || at - rootAt > "/StructTreeRoot "u8.Length)
            {
                throw new InvalidOperationException("The catalog has no placeholder for the structure tree root.");
            }

            edits.Add(new(at, at + placeholder.Length, Latin1.GetBytes($"{root.ToString(CultureInfo.InvariantCulture)} 0 R".PadRight(placeholder.Length))));
        }

        edits.Sort((a, b) => a.Start.CompareTo(b.Start));
        if (edits.Any(e => e.Start < contentsStart && e.Replacement.Length != e.End - e.Start))
        {
            throw new InvalidOperationException("An edit before the signature value would move it.");
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

        // 7. Write: the body with its edits, the tree's objects, a new table, the trailer with the new /Size, startxref.
        var output = new MemoryStream(pdf.Length + treeObjects.Count + 20 * treeOffsets.Count + 64);
        var from = 0;
        foreach (var e in edits)
        {
            output.Write(pdf[from..e.Start]);
            output.Write(e.Replacement);
            from = e.End;
        }

        output.Write(pdf[from..xref]);
        var treeStart = (int)output.Position;
        output.Write(treeObjects);
        var newXref = (int)output.Position;
        var total = count + treeOffsets.Count;
        output.Write(Latin1.GetBytes($"xref\n0 {total.ToString(CultureInfo.InvariantCulture)}\n"));
        Span<byte> entry = stackalloc byte[20];
        var tail = pdf.Slice(trailer - 10, 10); // " 00000 n \n" of the last (in-use) entry, PDFsharp's line ending kept
        for (var e = entries; e < trailer; e += 20)
        {
            pdf.Slice(e, 20).CopyTo(entry);
            if (entry[17] == 'n')
            {
                if (!Utf8Parser.TryParse(entry[..10], out long offset, out var consumed) || consumed != 10
                    || !Utf8Formatter.TryFormat(Shift(offset), entry[..10], out _, new StandardFormat('D', 10)))
                {
                    throw new InvalidOperationException("A cross-reference entry is not of the form PDFsharp writes.");
                }
            }

            output.Write(entry);
        }

        foreach (var offset in treeOffsets)
        {
            Utf8Formatter.TryFormat(treeStart + offset, entry[..10], out _, new StandardFormat('D', 10));
            tail.CopyTo(entry[10..]);
            output.Write(entry);
        }

        output.Write(pdf[trailer..size]);
        output.Write(Latin1.GetBytes(total.ToString(CultureInfo.InvariantCulture)));
        output.Write(pdf[sizeEnd..startxref]);
        output.Write(Latin1.GetBytes(newXref.ToString(CultureInfo.InvariantCulture)));
        output.Write(pdf[startxrefEnd..]);
        var bytes = output.GetBuffer().AsSpan(0, (int)output.Length);

        // 8. The byte range now ends at the new length; its placeholder keeps its width.
        var range = Latin1.GetBytes($"[0 {contentsStart} {contentsEnd} {bytes.Length - contentsEnd}]");
        var width = placeholderEnd - open;
        if (range.Length > width)
        {
            throw new InvalidOperationException("The corrected /ByteRange does not fit its placeholder.");
        }

        range.CopyTo(bytes[open..]);
        bytes.Slice(open + range.Length, width - range.Length).Fill((byte)' ');
        var signed = new byte[contentsStart + bytes.Length - contentsEnd];
        bytes[..contentsStart].CopyTo(signed);
        bytes[contentsEnd..].CopyTo(signed.AsSpan(contentsStart));
        written.SetLength(0);
        written.Write(bytes);
        return signed;
    }

    private readonly record struct Edit(int Start, int End, byte[] Replacement);
}
