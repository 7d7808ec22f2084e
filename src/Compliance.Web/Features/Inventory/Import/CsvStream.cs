using System.Runtime.CompilerServices;
using System.Text;

namespace Compliance.Web.Features.Inventory.Import;

/// <summary>
/// The same RFC 4180 reading as <see cref="Csv.Parse"/>, row by row from a stream in 64K-character blocks, so an
/// import holds one row (and one block) at a time instead of the whole file. Strict UTF-8; a leading BOM is skipped.
/// </summary>
public static class CsvStream
{
    public static async IAsyncEnumerable<Csv.Row> ReadAsync(Stream content, string fileName, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: false, bufferSize: 65536, leaveOpen: true);
        var buffer = new char[65536];
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, quotePending = false, skipLf = false, first = true;
        int row = 1, startRow = 1;
        while (true)
        {
            int read;
            try
            {
                read = await reader.ReadAsync(buffer, ct);
            }
            catch (DecoderFallbackException)
            {
                throw new ImportException(new ImportError(fileName, row, null,
                    "The file is not UTF-8 text (an invalid byte in or after this row). Save it as \"CSV UTF-8\" and upload it again."));
            }

            if (read == 0)
            {
                break;
            }

            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (first)
                {
                    first = false;
                    if (c == '\uFEFF')
                    {
                        continue;
                    }
                }

                if (skipLf)
                {
                    skipLf = false;
                    if (c == '\n')
                    {
                        continue;
                    }
                }

                if (quotePending)
                {
                    // A quote inside a quoted field: doubled, it is a literal quote; otherwise it closed the field.
                    quotePending = false;
                    if (c == '"')
                    {
                        field.Append('"');
                        continue;
                    }

                    quoted = false;
                }

                if (quoted)
                {
                    if (c == '"')
                    {
                        quotePending = true;
                        continue;
                    }

                    if (c == '\n') row++;
                    field.Append(c);
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
                    skipLf = c == '\r';
                    fields.Add(field.ToString());
                    field.Clear();
                    if (fields.Count > 1 || fields[0].Length > 0) yield return new Csv.Row(startRow, [.. fields]);
                    fields.Clear();
                    row++;
                    startRow = row;
                }
                else
                {
                    field.Append(c);
                }
            }
        }

        if (quoted && !quotePending)
        {
            throw new ImportException(new ImportError(fileName, startRow, null, "A quoted field is never closed: a \" is missing."));
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return new Csv.Row(startRow, [.. fields]);
        }
    }
}
