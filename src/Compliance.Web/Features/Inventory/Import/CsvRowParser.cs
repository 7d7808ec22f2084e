using System.Text;

namespace Compliance.Web.Features.Inventory.Import;

/// <summary>
/// The one RFC 4180 state machine (quoted fields, doubled quotes, commas and line breaks inside quotes), fed block by
/// block so that a whole text (<see cref="Csv.Parse"/>) and a stream (<see cref="CsvStream"/>) read alike. Rows carry
/// the line they start on; empty lines are skipped; a leading BOM is skipped.
/// </summary>
internal sealed class CsvRowParser(string? fileName)
{
    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    private bool _quoted, _quotePending, _skipLf, _first = true;
    private int _startRow = 1;

    /// <summary>The line being read: where a decoding error is reported.</summary>
    public int Line { get; private set; } = 1;

    public void Feed(ReadOnlySpan<char> block, List<Csv.Row> ready)
    {
        foreach (var c in block)
        {
            if (_first)
            {
                _first = false;
                if (c == '\uFEFF')
                {
                    continue;
                }
            }

            if (_skipLf)
            {
                _skipLf = false;
                if (c == '\n')
                {
                    continue;
                }
            }

            if (_quotePending)
            {
                // A quote inside a quoted field: doubled, it is a literal quote; otherwise it closed the field.
                _quotePending = false;
                if (c == '"')
                {
                    _field.Append('"');
                    continue;
                }

                _quoted = false;
            }

            if (_quoted)
            {
                if (c == '"')
                {
                    _quotePending = true;
                    continue;
                }

                if (c == '\n') Line++;
                _field.Append(c);
            }
            else if (c == '"' && _field.Length == 0)
            {
                _quoted = true;
            }
            else if (c == ',')
            {
                _fields.Add(_field.ToString());
                _field.Clear();
            }
            else if (c is '\r' or '\n')
            {
                _skipLf = c == '\r';
                _fields.Add(_field.ToString());
                _field.Clear();
                if (_fields.Count > 1 || _fields[0].Length > 0) ready.Add(new Csv.Row(_startRow, [.. _fields]));
                _fields.Clear();
                Line++;
                _startRow = Line;
            }
            else
            {
                _field.Append(c);
            }
        }
    }

    /// <summary>The end of the text: the last row without a line break, or the unclosed quote that swallowed it.</summary>
    public void Finish(List<Csv.Row> ready)
    {
        if (_quoted && !_quotePending)
        {
            throw new ImportException(new ImportError(fileName, _startRow, null, "A quoted field is never closed: a \" is missing."));
        }

        if (_field.Length > 0 || _fields.Count > 0)
        {
            _fields.Add(_field.ToString());
            ready.Add(new Csv.Row(_startRow, [.. _fields]));
        }
    }
}
