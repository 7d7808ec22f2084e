using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// Serves Liberation Sans (SIL OFL 1.1, licence in <c>Fonts/LICENSE-OFL.txt</c>) from the assembly's
/// embedded resources: Linux hosts have no fonts PDFsharp can find. Every family name resolves to it.
/// </summary>
public sealed class LiberationSansFontResolver : IFontResolver
{
    public const string Family = "Liberation Sans";

    private static readonly Lock Gate = new();
    private static readonly ConcurrentDictionary<string, byte[]> Cache = new();

    /// <summary>Installs the resolver once per process (PDFsharp's font settings are global).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not LiberationSansFontResolver)
            {
                GlobalFontSettings.FontResolver = new LiberationSansFontResolver();
            }
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => (bold, italic) switch
    {
        (true, true) => new FontResolverInfo("LiberationSans-Bold", mustSimulateBold: false, mustSimulateItalic: true),
        (true, false) => new FontResolverInfo("LiberationSans-Bold"),
        (false, true) => new FontResolverInfo("LiberationSans-Italic"),
        _ => new FontResolverInfo("LiberationSans-Regular"),
    };

    public byte[]? GetFont(string faceName) => Cache.GetOrAdd(faceName, static name =>
    {
        using var stream = typeof(LiberationSansFontResolver).Assembly.GetManifestResourceStream($"Compliance.Web.Fonts.{name}.ttf")
            ?? throw new InvalidOperationException($"The font {name}.ttf is not embedded in the web assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });
}
