using System.Text;
using Compliance.Web.Features.Inventory.Import;

namespace Compliance.Tests.Features.Inventory;

/// <summary>What the CSV reading (Sep under our messages) lets through and refuses, the same from a text and from a stream.</summary>
public sealed class CsvReadingTests
{
    [Fact]
    public async Task A_quoted_field_keeps_its_commas_doubled_quotes_and_line_breaks_and_the_next_row_its_line()
    {
        var rows = await ReadBothWays("name,note\n\"a, b\",\"say \"\"hi\"\"\nthen go\"\nnext,row\n");

        Assert.Equal(["1: name|note", "2: a, b|say \"hi\"\nthen go", "4: next|row"], rows);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task Lf_crlf_and_cr_line_ends_read_alike(string end)
    {
        var rows = await ReadBothWays($"a,b{end}1,\"x{end}y\"{end}3,4");

        Assert.Equal(["1: a|b", $"2: 1|x{end}y", "4: 3|4"], rows);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_and_the_rows_after_them_keep_their_line_numbers()
    {
        var rows = await ReadBothWays("\na,b\n\n1,2\r\n\r\n3,4\n");

        Assert.Equal(["2: a|b", "4: 1|2", "6: 3|4"], rows);
    }

    [Fact]
    public async Task A_leading_bom_is_skipped_even_before_a_quoted_field()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("\"plan_id\",moved_on\n12,\n")).ToArray();

        var parsed = Csv.Parse(Csv.DecodeUtf8(bytes, "moves.csv")).ToList();
        var streamed = await StreamAsync(bytes);

        Assert.Equal(["plan_id", "moved_on"], parsed[0].Fields);
        Assert.Equal(["plan_id", "moved_on"], streamed[0].Fields);
    }

    [Fact]
    public async Task A_semicolon_file_is_read_with_commas_not_guessed()
    {
        var rows = await ReadBothWays("a;b\n1;2\n");

        Assert.Equal(["1: a;b", "2: 1;2"], rows);
    }

    [Fact]
    public async Task An_unclosed_quote_at_the_end_of_the_file_is_refused_naming_its_row()
    {
        const string text = "a,b\n1,2\n3,\"never\nclosed\n";

        var parsed = Assert.Throws<ImportException>(() => Csv.Parse(text).ToList());
        var streamed = await Assert.ThrowsAsync<ImportException>(() => StreamAsync(Encoding.UTF8.GetBytes(text)));

        Assert.Equal((null, 3, "A quoted field is never closed: a \" is missing."), (parsed.Error.File, parsed.Error.Row, parsed.Error.Message));
        Assert.Equal(("test.csv", 3), (streamed.Error.File, streamed.Error.Row));
    }

    [Fact]
    public async Task A_quote_inside_an_unquoted_field_is_refused_naming_its_row_rather_than_swallowing_the_rows_after_it()
    {
        // A quote opens a quoted field wherever it stands (RFC 4180 allows it only at a field's start), so the rest of
        // the file would become one field: refused, with the row where the quote is.
        var error = await Assert.ThrowsAsync<ImportException>(() => StreamAsync(Encoding.UTF8.GetBytes("a,b\n1,2\n27\" screen,x\n3,4\n")));

        Assert.Equal(3, error.Error.Row);
        Assert.Contains("never closed", error.Error.Message);
    }

    [Fact]
    public async Task An_invalid_byte_deep_in_a_stream_is_refused_naming_a_row_at_or_before_it()
    {
        var text = new StringBuilder("a,b\n");
        for (var i = 0; i < 50_000; i++) text.Append($"{i},value {i}\n");
        var bytes = Encoding.UTF8.GetBytes(text.ToString()).Concat(new byte[] { 0xE8, (byte)',', (byte)'x', (byte)'\n' }).ToArray();

        var error = await Assert.ThrowsAsync<ImportException>(() => StreamAsync(bytes));

        Assert.Contains("not UTF-8", error.Error.Message);
        Assert.InRange(error.Error.Row!.Value, 2, 50_002);
    }

    /// <summary>Reads the text whole and as a stream, asserts both give the same rows, and returns them as "line: field|field".</summary>
    private static async Task<List<string>> ReadBothWays(string text)
    {
        var parsed = Csv.Parse(text).Select(Show).ToList();
        var streamed = (await StreamAsync(Encoding.UTF8.GetBytes(text))).Select(Show).ToList();
        Assert.Equal(parsed, streamed);
        return parsed;
    }

    private static async Task<List<Csv.Row>> StreamAsync(byte[] bytes)
    {
        var rows = new List<Csv.Row>();
        await foreach (var row in CsvStream.ReadAsync(new MemoryStream(bytes), "test.csv"))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static string Show(Csv.Row row) => $"{row.Number}: {string.Join("|", row.Fields)}";
}
