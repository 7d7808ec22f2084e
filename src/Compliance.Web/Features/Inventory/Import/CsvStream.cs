using System.Runtime.CompilerServices;
using System.Text;

namespace Compliance.Web.Features.Inventory.Import;

/// <summary>
/// The same RFC 4180 reading as <see cref="Csv.Parse"/> (<see cref="CsvRowParser"/>), from a stream in 64K-character blocks, so an
/// import holds one row (and one block) at a time instead of the whole file. Strict UTF-8; a leading BOM is skipped.
/// </summary>
public static class CsvStream
{
    public static async IAsyncEnumerable<Csv.Row> ReadAsync(Stream content, string fileName, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: false, bufferSize: 65536, leaveOpen: true);
        var buffer = new char[65536];
        var parser = new CsvRowParser(fileName);
        var ready = new List<Csv.Row>();
        while (true)
        {
            int read;
            try
            {
                read = await reader.ReadAsync(buffer, ct);
            }
            catch (DecoderFallbackException)
            {
                throw new ImportException(new ImportError(fileName, parser.Line, null,
                    "The file is not UTF-8 text (an invalid byte in or after this row). Save it as \"CSV UTF-8\" and upload it again."));
            }

            if (read == 0)
            {
                break;
            }

            parser.Feed(buffer.AsSpan(0, read), ready);
            foreach (var row in ready) yield return row;
            ready.Clear();
        }

        parser.Finish(ready);
        foreach (var row in ready) yield return row;
    }
}
