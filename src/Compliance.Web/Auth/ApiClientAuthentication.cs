using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Auth;

/// <summary>
/// App-held machine clients present their client credentials on each request, as HTTP Basic (<c>client_id:client_secret</c>,
/// RFC 6749 §2.3.1). The app holds these clients itself (not the identity provider), so a customer needs no account at
/// the organisation's provider, and a revoked client is refused on its very next request (no token outlives it).
/// A customer's client signs in as a Customer of its organisation (the same scope filters as for its people apply);
/// a staff machine client as <see cref="Roles.Pipeline"/> with its scopes. Both carry their owner (the creating
/// administrator), whom four-eyes treats as the same person.
/// </summary>
public sealed class ApiClientAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiClientService clients, OidcSettings settings)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiClient";

    public static bool HasBasicCredentials(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return AuthenticateResult.NoResult();
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("The Basic credentials are not base64.");
        }

        var colon = decoded.IndexOf(':');
        if (colon <= 0 || colon == decoded.Length - 1)
        {
            return AuthenticateResult.Fail("The Basic credentials are not client_id:client_secret.");
        }

        // RFC 6749 §2.3.1: both parts are form-url-encoded before they are joined.
        var clientId = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
        var secret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
        if (await clients.AuthenticateAsync(clientId, secret, Context.RequestAborted) is not { } client)
        {
            return AuthenticateResult.Fail("Unknown or revoked client, or wrong secret.");
        }

        var identity = new ClaimsIdentity(SchemeName, "name", settings.RoleClaim);
        identity.AddClaim(new Claim("sub", client.ClientId));
        identity.AddClaim(new Claim("client_id", client.ClientId));
        identity.AddClaim(new Claim("name", client.Name));
        identity.AddClaim(new Claim(ApiScopes.OwnerClaimType, client.Owner));
        identity.AddClaims(client.Scopes.Select(s => new Claim(ApiScopes.ClaimType, s)));
        if (client.CustomerCode is { } customer)
        {
            identity.AddClaim(new Claim(settings.RoleClaim, Roles.Customer));
            identity.AddClaim(new Claim(settings.CustomerClaim, customer));
        }
        else
        {
            identity.AddClaim(new Claim(settings.RoleClaim, Roles.Pipeline));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"compliance-api\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }
}
