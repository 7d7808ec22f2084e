using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace Compliance.Web.Auth;

/// <summary>
/// Response headers every page and endpoint carries. The Content-Security-Policy is the strictest that
/// Blazor Server (its script from this origin, its WebSocket) and MudBlazor (inline style attributes)
/// work under; forms may post only to this site and the identity provider.
/// </summary>
public static class SecurityHeaders
{
    /// <param name="socketOrigin">The app's own WebSocket origin (<c>wss://host</c>), for browsers whose <c>'self'</c> does not cover ws(s).</param>
    public static string ContentSecurityPolicy(string? authority, string? importMapHash = null, string? socketOrigin = null)
    {
        var formAction = "'self'";
        if (Uri.TryCreate(authority, UriKind.Absolute, out var uri))
        {
            formAction += " " + uri.GetLeftPart(UriPartial.Authority);
        }

        return string.Join("; ",
            "default-src 'self'",
            importMapHash is null ? "script-src 'self'" : $"script-src 'self' '{importMapHash}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            socketOrigin is null ? "connect-src 'self'" : $"connect-src 'self' {socketOrigin}",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
            $"form-action {formAction}");
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string? authority)
    {
        var csp = ContentSecurityPolicy(authority);
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            // Pages carry Blazor's inline import map (<ImportMap /> in App.razor): allowed by its exact hash, nothing else
            // inline; and connect to this app's own WebSocket origin only (the circuit), never any ws:/wss: host.
            headers.ContentSecurityPolicy = context.GetEndpoint()?.Metadata.GetMetadata<ResourceAssetCollection>() is { } assets
                ? ContentSecurityPolicy(authority, PagePolicies.GetValue(assets, ImportMapHash), SocketOrigin(context.Request))
                : csp;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return next(context);
        });
    }

    private static readonly ConditionalWeakTable<ResourceAssetCollection, string> PagePolicies = [];

    /// <summary><c>wss://host[:port]</c> (<c>ws://</c> over plain http) of this request, or null for a Host header that is not a plain host name.</summary>
    public static string? SocketOrigin(HttpRequest request)
    {
        var host = request.Host.Value;
        if (string.IsNullOrEmpty(host) || host.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']')))
        {
            return null;
        }

        return (request.IsHttps ? "wss://" : "ws://") + host;
    }

    /// <summary>The CSP source for the import map the <c>ImportMap</c> component renders from these assets.</summary>
    public static string ImportMapHash(ResourceAssetCollection assets) =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ImportMapDefinition.FromResourceCollection(assets).ToString())));
}
