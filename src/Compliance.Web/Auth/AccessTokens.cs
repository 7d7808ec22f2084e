using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Compliance.Web.Auth;

/// <summary>
/// What the API accepts as a bearer token beyond signature, issuer, lifetime and audience: an access token, never
/// an ID token. Providers differ in how they mark the two, so a token counts as an ID token when any of these
/// holds (unless its header says <c>typ: at+jwt</c>, RFC 9068, which OpenIddict and Okta send): it carries
/// <c>nonce</c> (the sign-in handler always sends one, and only ID tokens echo it), <c>at_hash</c>, <c>c_hash</c>
/// or <c>s_hash</c> (OpenID Connect Core: ID token only), or Keycloak's <c>typ</c> claim <c>ID</c>.
/// </summary>
public static class AccessTokens
{
    private static readonly string[] IdTokenOnlyClaims = ["nonce", "at_hash", "c_hash", "s_hash"];

    public static bool IsIdToken(JsonWebToken token)
    {
        if (token.Typ is { } typ && (typ.Equals("at+jwt", StringComparison.OrdinalIgnoreCase) || typ.Equals("application/at+jwt", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return IdTokenOnlyClaims.Any(name => token.TryGetPayloadValue<object>(name, out _))
               || (token.TryGetPayloadValue<string>("typ", out var claimTyp) && string.Equals(claimTyp, "ID", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Fails the bearer authentication of an ID token presented as an access token.</summary>
    public static void RejectIdTokens(TokenValidatedContext context)
    {
        if (context.SecurityToken is JsonWebToken token && IsIdToken(token))
        {
            context.Fail("An ID token is not an access token: the API accepts only access tokens issued for its audience.");
        }
    }
}
