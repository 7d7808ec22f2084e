using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Compliance.Web.Auth;

/// <summary>
/// The app's own base address as Kestrel bound it (dynamic ports in tests included): the embedded
/// provider's authority, and the origin its client's redirect URIs are registered for.
/// </summary>
public static class ServerAddress
{
    /// <summary>Every address the server listens on, wildcard hosts replaced by <c>localhost</c>.</summary>
    public static IReadOnlyList<Uri> All(IServer server) =>
        (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        .Select(a => a.Replace("://+:", "://localhost:").Replace("://*:", "://localhost:")
            .Replace("://[::]:", "://localhost:").Replace("://0.0.0.0:", "://localhost:"))
        .Select(a => Uri.TryCreate(a, UriKind.Absolute, out var uri) ? uri : null)
        .OfType<Uri>()
        .ToList();

    /// <summary>The address the app calls itself at: the first HTTPS one, else the first; <c>http://localhost</c> when the server has none (in-memory test server).</summary>
    public static string Primary(IServer server)
    {
        var all = All(server);
        var chosen = all.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttps) ?? all.FirstOrDefault();
        return chosen?.GetLeftPart(UriPartial.Authority) ?? "http://localhost";
    }

    /// <summary>Each address also under its loopback aliases (<c>localhost</c>, <c>127.0.0.1</c>), so a browser may use either.</summary>
    public static IEnumerable<string> WithLoopbackAliases(IServer server)
    {
        foreach (var uri in All(server))
        {
            yield return uri.GetLeftPart(UriPartial.Authority);
            if (uri.IsLoopback)
            {
                foreach (var host in new[] { "localhost", "127.0.0.1" })
                {
                    yield return new UriBuilder(uri) { Host = host }.Uri.GetLeftPart(UriPartial.Authority);
                }
            }
        }
    }
}
