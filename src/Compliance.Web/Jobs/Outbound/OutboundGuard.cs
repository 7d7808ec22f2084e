using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Jobs.Outbound;

/// <summary>
/// SSRF guard for the app's outbound requests (approval-list sources, webhooks), whose URLs administrators and
/// configuration choose. At connect time (<see cref="SocketsHttpHandler.ConnectCallback"/>: the address checked is
/// the address connected to, so DNS rebinding cannot slip between check and use) every address the host resolves
/// to is checked, and only public ones are connected: loopback, private (RFC 1918, CGNAT 100.64/10, fc00::/7),
/// link-local (169.254/16 with cloud metadata, fe80::/10), multicast, unspecified, reserved, and IPv6 forms that
/// embed an IPv4 address (mapped, compatible, NAT64, 6to4) are refused unless the URL's host is in
/// <c>Outbound:AllowedHosts</c>. Redirects are never followed (a 3xx answer is returned to the caller as it is);
/// plain http is refused outside Development.
/// </summary>
public sealed class OutboundGuard(IOptionsMonitor<OutboundOptions> options)
{
    /// <summary>The primary handler every guarded client uses.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false, // a proxy would connect on our behalf, past the address check
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = ConnectAsync,
    };

    /// <summary>Refuses a request whose scheme is not allowed, before any connection is made.</summary>
    public void CheckRequest(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttps && (uri.Scheme != Uri.UriSchemeHttp || options.CurrentValue.RequireHttps))
        {
            throw new OutboundRefusedException($"Outbound request refused: {uri.Scheme}:// is not allowed, only https://.");
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct);
        if (!options.CurrentValue.IsAllowListed(host))
        {
            var refused = addresses.Where(IsForbidden).ToList();
            addresses = addresses.Except(refused).ToArray();
            if (addresses.Length == 0)
            {
                throw new OutboundRefusedException(
                    $"Outbound request refused: {host} resolves to {string.Join(", ", refused.Select(a => $"{a} ({Describe(a)})"))}, not a public address. " +
                    "To fetch from an internal host, add it to Outbound:AllowedHosts.");
            }
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw new HttpRequestException(HttpRequestError.ConnectionError, $"Could not connect to {host}:{context.DnsEndPoint.Port}.", last);
    }

    /// <summary>True for a refusal of this guard, however deeply wrapped: retrying cannot help.</summary>
    public static bool IsRefusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is OutboundRefusedException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for every address an outbound request must not reach unless its host is allow-listed.</summary>
    public static bool IsForbidden(IPAddress address) => Describe(address) is not null;

    /// <summary>Why the address is not public, or null when it is.</summary>
    public static string? Describe(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return Describe(address.MapToIPv4()) is { } mapped ? "IPv4-mapped " + mapped : null;
        }

        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] switch
            {
                0 => "unspecified",
                10 => "private",
                127 => "loopback",
                100 when (b[1] & 0xC0) == 64 => "shared CGNAT",
                169 when b[1] == 254 => "link-local",
                172 when (b[1] & 0xF0) == 16 => "private",
                192 when b[1] == 168 => "private",
                192 when b[1] == 0 && b[2] == 0 => "IETF protocol assignments",
                198 when (b[1] & 0xFE) == 18 => "benchmarking",
                >= 224 and <= 239 => "multicast",
                >= 240 => "reserved",
                _ => null,
            };
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        if (address.IsIPv6Multicast || b[0] == 0xFF)
        {
            return "multicast";
        }

        if (address.IsIPv6LinkLocal || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80))
        {
            return "link-local";
        }

        if (address.IsIPv6SiteLocal || (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0))
        {
            return "site-local";
        }

        if ((b[0] & 0xFE) == 0xFC)
        {
            return "unique local (private)";
        }

        // IPv4-compatible (::a.b.c.d) and the rest of ::/96.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return "IPv4-compatible";
        }

        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
        {
            return Describe(new IPAddress(b.AsSpan(12, 4))) is { } nat64 ? "NAT64 " + nat64 : null;
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return Describe(new IPAddress(b.AsSpan(2, 4))) is { } sixToFour ? "6to4 " + sixToFour : null;
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            return "Teredo";
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)
        {
            return "documentation";
        }

        return null;
    }
}

/// <summary>Refuses disallowed schemes before the resilience pipeline or a connection is involved.</summary>
internal sealed class OutboundSchemeHandler(OutboundGuard guard) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        guard.CheckRequest(request.RequestUri ?? throw new OutboundRefusedException("Outbound request refused: no address."));
        return base.SendAsync(request, cancellationToken);
    }
}
