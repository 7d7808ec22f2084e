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
}
