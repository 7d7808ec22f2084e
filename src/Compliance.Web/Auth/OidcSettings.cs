namespace Compliance.Web.Auth;

/// <summary>
/// The <c>Oidc</c> configuration section. With <see cref="Authority"/> empty (and outside Production)
/// the embedded development provider is the authority; otherwise any standard OpenID Connect provider.
/// </summary>
public sealed class OidcSettings
{
    public string? Authority { get; set; }

    public string ClientId { get; set; } = "compliance-web";

    public string? ClientSecret { get; set; }

    /// <summary>The claim that carries the role (<c>ComplianceOfficer</c>, <c>Administrator</c>, <c>Auditor</c>, <c>Customer</c>).</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>The claim that carries the customer's code (<see cref="Domain.Customer.Code"/>).</summary>
    public string CustomerClaim { get; set; } = "customer_id";

    /// <summary>The claim that carries the provider's group names, mapped to roles through <see cref="RoleMap"/>.</summary>
    public string GroupClaim { get; set; } = "groups";

    /// <summary>Provider group (or role) name → one of the four roles; applied when a token is validated.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The audience bearer tokens for <c>/api/v1</c> must carry (<c>Oidc:ApiAudience</c>); defaults to
    /// <see cref="DefaultApiAudience"/>, the embedded provider's API resource. Never defaults to the client id:
    /// ID tokens carry that audience too.
    /// </summary>
    public string ApiAudience { get; set; } = DefaultApiAudience;

    /// <summary>The earlier name of <see cref="ApiAudience"/> (<c>Oidc:Audience</c>), still read when <c>Oidc:ApiAudience</c> is not set.</summary>
    public string? Audience { get; set; }

    public const string DefaultApiAudience = "compliance-api";

    /// <summary>Extra scopes to request at sign-in (space separated), e.g. <c>groups</c> for Okta.</summary>
    public string? Scopes { get; set; }

    public bool UsesEmbeddedProvider => string.IsNullOrWhiteSpace(Authority);

    /// <summary>
    /// <c>Oidc:EnableEmbeddedProvider</c>: allow the embedded development provider outside Development (a demo
    /// server); never honoured in Production. Without it, a non-Development host without an authority does not start.
    /// </summary>
    public bool EnableEmbeddedProvider { get; set; }

    public static OidcSettings From(IConfiguration configuration)
    {
        var settings = new OidcSettings();
        configuration.GetSection("Oidc").Bind(settings);
        if (string.IsNullOrWhiteSpace(settings.RoleClaim))
        {
            settings.RoleClaim = "role";
        }

        if (string.IsNullOrWhiteSpace(settings.CustomerClaim))
        {
            settings.CustomerClaim = "customer_id";
        }

        if (configuration["Oidc:ApiAudience"] is not { Length: > 0 })
        {
            settings.ApiAudience = string.IsNullOrWhiteSpace(settings.Audience) ? DefaultApiAudience : settings.Audience;
        }

        if (string.IsNullOrWhiteSpace(settings.ClientId))
        {
            settings.ClientId = "compliance-web";
        }

        return settings;
    }
}
