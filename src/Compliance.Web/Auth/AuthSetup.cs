using Microsoft.AspNetCore.Authentication;
using System.Security.Claims;
using Compliance.Web.Auth.Embedded;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Compliance.Web.Auth;

/// <summary>
/// Sign-in and access control: browsers sign in with OpenID Connect (authorization code + PKCE) and
/// keep a cookie session; <c>/api/v1</c> callers present a bearer access token (JWT) from the same
/// provider. The provider is <c>Oidc:Authority</c>, or the embedded development provider when that is
/// empty outside Production.
/// </summary>
public static class AuthSetup
{
    /// <summary>Picks the bearer handler when the request carries a bearer token, else the cookie.</summary>
    public const string Scheme = "Compliance";

    /// <summary>Challenges API requests with 401 (bearer) and page requests with a redirect to the provider.</summary>
    public const string ChallengeScheme = "Compliance.Challenge";

    public static WebApplicationBuilder AddComplianceAuth(this WebApplicationBuilder builder)
    {
        var settings = OidcSettings.From(builder.Configuration);
        var environment = builder.Environment;
        if (settings.UsesEmbeddedProvider && !environment.IsProduction() && !environment.IsDevelopment() && !settings.EnableEmbeddedProvider)
        {
            throw new InvalidOperationException(
                $"Oidc:Authority is empty and the environment is {environment.EnvironmentName}. Outside Development the app signs users in with an " +
                "external OpenID Connect provider: set Oidc:Authority, Oidc:ClientId and Oidc:ClientSecret; see docs/identity.md. " +
                "The embedded development provider (demo accounts whose password is their name) runs outside Development only when " +
                "Oidc:EnableEmbeddedProvider is true, for a demonstration server, and never in Production.");
        }

        if (settings.UsesEmbeddedProvider && environment.IsProduction())
        {
            throw new InvalidOperationException(
                "Oidc:Authority is empty. In Production the app signs users in with an external OpenID Connect provider: " +
                "set Oidc:Authority, Oidc:ClientId and Oidc:ClientSecret (and Oidc:RoleClaim / Oidc:CustomerClaim if your provider " +
                "names them differently); see docs/identity.md. The embedded development provider and its demo accounts are never used in Production.");
        }

        var relaxed = environment.IsDevelopment();
        builder.Services.AddSingleton(settings);
        var sessions = builder.Configuration.GetSection("Sessions").Get<SessionOptions>() ?? new SessionOptions();
        builder.Services.Configure<SessionOptions>(builder.Configuration.GetSection("Sessions"));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EndedSessions>();
        builder.Services.AddSingleton<SessionStore>();

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = ChallengeScheme;
            })
            .AddPolicyScheme(Scheme, "Cookie, bearer token or app-held API client", o => o.ForwardDefaultSelector = context =>
                HasBearerToken(context.Request) ? JwtBearerDefaults.AuthenticationScheme
                : ApiClientAuthentication.HasBasicCredentials(context.Request) ? ApiClientAuthentication.SchemeName
                : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddPolicyScheme(ChallengeScheme, "Provider sign-in or 401", o => o.ForwardDefaultSelector = context =>
                ApiClientAuthentication.HasBasicCredentials(context.Request) ? ApiClientAuthentication.SchemeName
                : HasBearerToken(context.Request) || IsApi(context.Request)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : OpenIdConnectDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "__compliance";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = relaxed ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.ExpireTimeSpan = sessions.IdleTimeout;
                o.SlidingExpiration = true;
                SessionStore.Configure(o.Events, sessions);
                // A signed-in user on a page not theirs gets 403 and the not-found page, not a redirect loop.
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(o =>
            {
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.Authority = settings.Authority;
                o.ClientId = settings.ClientId;
                o.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
                o.ResponseType = "code";
                // Query, not form_post: the provider's auto-posting form would need inline script, which the CSP forbids.
                o.ResponseMode = "query";
                o.UsePkce = true;
                o.MapInboundClaims = false;
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.RequireHttpsMetadata = !relaxed;
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = settings.RoleClaim;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                if (settings.UsesEmbeddedProvider)
                {
                    o.Scope.Add("roles");
                }

                foreach (var scope in (settings.Scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    o.Scope.Add(scope);
                }

                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = relaxed ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.SignedOutRedirectUri = "/";
                o.Events.OnTokenValidated = async context =>
                {
                    RoleMapping.Apply(context.Principal, settings);
                    await context.HttpContext.RequestServices.GetRequiredService<PeopleDirectory>().RecordAsync(context.Principal, context.HttpContext.RequestAborted);
                };
            })
            .AddJwtBearer(o =>
            {
                o.Authority = settings.Authority;
                // One configured API audience (never the web client id by default, which ID tokens also carry).
                o.Audience = settings.ApiAudience;
                o.TokenValidationParameters.ValidateAudience = true;
                o.MapInboundClaims = false;
                o.RequireHttpsMetadata = !relaxed;
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = settings.RoleClaim;
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = async context =>
                    {
                        AccessTokens.RejectIdTokens(context);
                        RoleMapping.Apply(context.Principal, settings);
                        await context.HttpContext.RequestServices.GetRequiredService<PeopleDirectory>().RecordAsync(context.Principal, context.HttpContext.RequestAborted);
                    },
                };
            });

        if (settings.UsesEmbeddedProvider)
        {
            EmbeddedProvider.Add(builder, settings);
        }

        builder.Services.AddAuthorization(Policies.Register);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ApiScopes.Handler>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ScopeRefusals>();
        builder.Services.AddSingleton<ApiClientService>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiClientAuthentication>(ApiClientAuthentication.SchemeName, null);
        builder.Services.AddCascadingAuthenticationState();
        // Circuits re-check the session periodically (sign-out elsewhere, absolute lifetime).
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidatingAuthenticationStateProvider>();
        builder.Services.AddSingleton<CustomerScopes>();
        builder.Services.AddSingleton<PeopleDirectory>();
        return builder;
    }

    /// <summary>Security headers, then authentication and authorization. Call where the request pipeline authenticates.</summary>
    public static WebApplication UseComplianceAuth(this WebApplication app)
    {
        app.UseSecurityHeaders(app.Services.GetRequiredService<OidcSettings>().Authority);
        app.UseRateLimiter(); // before authentication: the embedded provider answers its token endpoint there
        app.UseAuthentication();
        app.UseApiRateLimit(); // after it: the API's budget is per signed-in caller, not per address
        app.UseAuthorization();
        return app;
    }

    /// <summary>Sign-in and sign-out routes, <c>/api/v1/me</c>, and the embedded provider's endpoints when it is active.</summary>
    public static WebApplication MapComplianceAuth(this WebApplication app)
    {
        AuthEndpoints.Map(app);
        if (app.Services.GetRequiredService<OidcSettings>().UsesEmbeddedProvider)
        {
            EmbeddedProvider.Map(app);
        }

        return app;
    }

    private static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");
}

/// <summary>
/// Maps the provider's group (or role) names to the four roles: <c>Oidc:RoleMap:{name}</c> = role.
/// Values of the role claim and of <c>Oidc:GroupClaim</c> (default <c>groups</c>) are looked up.
/// </summary>
public static class RoleMapping
{
    public static void Apply(ClaimsPrincipal? principal, OidcSettings settings)
    {
        if (principal?.Identity is not ClaimsIdentity identity || settings.RoleMap.Count == 0)
        {
            return;
        }

        var names = identity.FindAll(settings.RoleClaim).Concat(identity.FindAll(settings.GroupClaim)).Select(c => c.Value).ToList();
        foreach (var name in names)
        {
            if (settings.RoleMap.TryGetValue(name, out var role) && !identity.HasClaim(settings.RoleClaim, role))
            {
                identity.AddClaim(new Claim(settings.RoleClaim, role));
            }
        }
    }
}
