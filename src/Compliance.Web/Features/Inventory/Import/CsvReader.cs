using System.Text;
using nietras.SeparatedValues;

namespace Compliance.Web.Features.Inventory.Import;

/// <summary>
/// CSV text in and out: strict UTF-8, rows read by Sep (RFC 4180) under our row-numbered messages, cells written formula-safe.
/// Rows carry the line they start on; blank lines are skipped; a leading BOM is skipped.
/// </summary>
public static class Csv
{
    public sealed record Row(int Number, string[] Fields);

    /// <summary>
    /// Always a comma (Sep would otherwise guess the separator from the first row); no header (each caller names its own
    /// columns and messages); no column-count check (callers report a short row with its number and the header's count).
    /// </summary>
    internal static readonly SepReaderOptions Reading = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true });

    /// <summary>Strict UTF-8 whose preamble makes a <see cref="StreamReader"/> skip a leading BOM.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    /// <summary>Reads strict UTF-8 text; throws <see cref="ImportException"/> naming the problem.</summary>
    public static string DecodeUtf8(byte[] bytes, string fileName)
    {
        try
        {
            var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
            return text.TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw new ImportException(new ImportError(fileName, null, null,
                $"The file is not UTF-8 text (invalid byte at position {e.Index}). Save it as \"CSV UTF-8\" and upload it again."));
        }
    }

    /// <summary>Rows of a whole text, read lazily.</summary>
    public static IEnumerable<Row> Parse(string text)
    {
        using var reader = Reading.FromText(text.StartsWith('\uFEFF') ? text[1..] : text);
        while (reader.MoveNext())
        {
            if (Read(reader.Current, fileName: null) is { } row)
            {
                yield return row;
            }
        }
    }

    /// <summary>Sep's current row as ours, or null for a blank line; a quote never closed is refused naming its row.</summary>
    internal static Row? Read(SepReader.Row row, string? fileName)
    {
        // Sep gives the first row its end line as its start line; the first row starts on line 1.
        var number = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
        // Sep reads a quote that is never closed on to the end of the text instead of failing: a row with an odd number
        // of quotes is exactly that. Counted on the raw row, before reading a column unescapes it in place.
        if (row.Span.Count('"') % 2 != 0)
        {
            throw new ImportException(new ImportError(fileName, number, null, "A quoted field is never closed: a \" is missing."));
        }

        if (row.ColCount == 1 && row[0].Span.IsEmpty)
        {
            return null;
        }

        var fields = new string[row.ColCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = row[i].ToString();
        }

        return new Row(number, fields);
    }

    /// <summary>Quotes a value for writing when it holds a comma, quote or line break.</summary>
    public static string Quote(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    /// <summary>
    /// One written row: each value a <see cref="Cell"/>, joined by commas. Written by hand, not by Sep's writer: Sep quotes
    /// only what holds a separator, quote or line break, while a neutralised cell is always quoted.
    /// </summary>
    public static string Line(params IEnumerable<string?> values) => string.Join(",", values.Select(Cell));

    /// <summary>
    /// The one way the product writes a CSV cell: formula-neutralised (<see cref="Neutralise"/>), then quoted; a
    /// neutralised cell is always quoted (OWASP's CSV injection rule).
    /// </summary>
    public static string Cell(string? value)
    {
        if (value is null)
        {
            return "";
        }

        var safe = Neutralise(value);
        return ReferenceEquals(safe, value) ? Quote(value) : "\"" + safe.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>
    /// A cell a spreadsheet would read as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return
    /// first) gets a leading apostrophe, so it shows as text. A value that already starts with apostrophes in front of
    /// such a character gets one more, so <see cref="Restore"/> undoes exactly this and nothing else: an export imports
    /// back unchanged. Returns the same instance when nothing was needed.
    /// </summary>
    public static string Neutralise(string value) => NeedsGuard(value) ? "'" + value : value;

    /// <summary>The inverse of <see cref="Neutralise"/>, applied by the importer to every field.</summary>
    public static string Restore(string value) => value.Length > 1 && value[0] == '\'' && NeedsGuard(value.AsSpan(1)) ? value[1..] : value;

    private static bool NeedsGuard(ReadOnlySpan<char> value)
    {
        var i = 0;
        while (i < value.Length && value[i] == '\'')
        {
            i++;
        }

        return i < value.Length && value[i] is '=' or '+' or '-' or '@' or '\t' or '\r';
    }
}
