using System.Text;

namespace Compliance.Web.Features.Inventory.Import;

/// <summary>An RFC 4180 reader: quoted fields, doubled quotes, commas and line breaks inside quotes.</summary>
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
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var row = 1;
        var startRow = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n') row++;
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                if (fields.Count > 1 || fields[0].Length > 0) yield return new Row(startRow, [.. fields]);
                fields.Clear();
                row++;
                startRow = row;
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new ImportException(new ImportError(null, startRow, null, "A quoted field is never closed: a \" is missing."));
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return new Row(startRow, [.. fields]);
        }
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
