namespace Compliance.Web.Jobs.Outbound;

/// <summary>Configuration section <c>Outbound</c>: what the app's own outbound requests (list sources, webhooks) may reach.</summary>
public sealed class OutboundOptions
{
    /// <summary>
    /// <c>Outbound:AllowedHosts</c>: host names or IP literals (as written in the URL, case-insensitive) that may
    /// resolve to loopback, private, link-local or other internal addresses, e.g. an internal list server.
    /// Everything else must resolve to a public address.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary><c>Outbound:RequireHttps</c>: refuse plain http. Always on outside Development, whatever is configured.</summary>
    public bool RequireHttps { get; set; } = true;

    public bool IsAllowListed(string host) =>
        AllowedHosts.Any(h => string.Equals(h.Trim().Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));
}
