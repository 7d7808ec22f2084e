namespace Compliance.Web.Features.Evidence;

/// <summary>docs/controls.md, embedded: the same mapping in the repository and in every evidence package.</summary>
public static class ControlsMapping
{
    public static string Text { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(ControlsMapping).Assembly.GetManifestResourceStream("Compliance.Web.controls.md")
            ?? throw new InvalidOperationException("docs/controls.md is not embedded in the web assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
