using System.Runtime.CompilerServices;
using System.Text;
using nietras.SeparatedValues;

namespace Compliance.Web.Features.Inventory.Import;

/// <summary>
/// The same reading as <see cref="Csv.Parse"/>, from a stream: Sep reads a block at a time, so an import holds one row
/// (and one block) at a time instead of the whole file. Strict UTF-8; a leading BOM is skipped.
/// </summary>
public static class CsvStream
{
    public static async IAsyncEnumerable<Csv.Row> ReadAsync(Stream content, string fileName, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var text = new StreamReader(content, Csv.StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 65536, leaveOpen: true);
        var line = 1; // the first line not yet read: where a decoding error is reported
        var reader = await Decode(() => Csv.Reading.FromAsync(text, ct), fileName, line);
        using (reader)
        {
            while (await Decode(() => reader.MoveNextAsync(ct), fileName, line))
            {
                var row = Csv.Read(reader.Current, fileName);
                line = reader.Current.LineNumberToExcl;
                if (row is not null)
                {
                    yield return row;
                }
            }
        }
    }

    /// <summary>Sep decodes as it reads: an invalid byte surfaces from whichever call reads the block it is in.</summary>
    private static async ValueTask<T> Decode<T>(Func<ValueTask<T>> read, string fileName, int line)
    {
        try
        {
            return await read();
        }
        catch (DecoderFallbackException)
        {
            throw new ImportException(new ImportError(fileName, line, null,
                "The file is not UTF-8 text (an invalid byte in or after this row). Save it as \"CSV UTF-8\" and upload it again."));
        }
    }
}
