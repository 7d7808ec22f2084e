using System.Text;

namespace Compliance.Web.Features.Inventory.Import;

/// <summary>CSV text in and out: strict UTF-8, rows by <see cref="CsvRowParser"/>, cells written formula-safe.</summary>
public static class Csv
{
    public sealed record Row(int Number, string[] Fields);

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

    public static IEnumerable<Row> Parse(string text)
    {
        const int block = 65536;
        var parser = new CsvRowParser(fileName: null);
        var ready = new List<Row>();
        for (var at = 0; at < text.Length; at += block)
        {
            parser.Feed(text.AsSpan(at, Math.Min(block, text.Length - at)), ready);
            foreach (var row in ready) yield return row;
            ready.Clear();
        }

        parser.Finish(ready);
        foreach (var row in ready) yield return row;
    }

    /// <summary>Quotes a value for writing when it holds a comma, quote or line break.</summary>
    public static string Quote(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

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
