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
