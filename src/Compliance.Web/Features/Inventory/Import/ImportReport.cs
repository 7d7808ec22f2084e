namespace Compliance.Web.Features.Inventory.Import;

/// <summary>One thing wrong with an import: the file, the row (1 = header), the field, and how to fix it.</summary>
public sealed record ImportError(string? File, int? Row, string? Field, string Message)
{
    public override string ToString() =>
        string.Join(", ", new[] { File, Row is { } r ? $"row {r}" : null, Field is { } f ? $"field '{f}'" : null }.Where(x => x is not null))
        + ": " + Message;
}

/// <summary>What an import did, or why it changed nothing.</summary>
public sealed record ImportReport(string File, string Kind, int Added, int Updated, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

public sealed class ImportException(ImportError error) : Exception(error.ToString())
{
    public ImportError Error { get; } = error;
}

/// <summary>
/// The problems found so far, at most <see cref="Limit"/> of them: a million-row file of garbage reports the first
/// thousand and how many more, instead of holding a million messages.
/// </summary>
public sealed class ImportErrors(string file)
{
    public const int Limit = 1000;

    private readonly List<ImportError> _errors = [];
    private int _more;

    public int Count => _errors.Count + _more;

    public void Add(ImportError error)
    {
        if (_errors.Count < Limit) _errors.Add(error); else _more++;
    }

    public IReadOnlyList<ImportError> All =>
        _more == 0 ? _errors : [.. _errors, new ImportError(file, null, null, $"… and {_more:N0} more problems; fix the ones above and upload the file again.")];
}
