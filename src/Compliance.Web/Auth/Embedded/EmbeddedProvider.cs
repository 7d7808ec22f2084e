using System.Security.Claims;
using Compliance.Web.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Compliance.Web.Auth.Embedded;

/// <summary>
/// The embedded development identity provider (OpenIddict server in the same process): authorization
/// code + PKCE for the web app, client credentials for the <c>pipeline</c> client, end session.
/// Used only when <c>Oidc:Authority</c> is empty, in Development, or outside Production when
/// <c>Oidc:EnableEmbeddedProvider</c> is true.
/// </summary>
public static class EmbeddedProvider
{
    /// <summary>The provider's own session cookie (who is signed in at the provider, not at the app).</summary>
    public const string SessionScheme = "EmbeddedProvider";

    public const string LoginPath = "/connect/login";

    public static void Add(WebApplicationBuilder builder, OidcSettings settings)
    {
        var database = DatabaseOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        var dataFolder = DataFolderCertificates.For(database, builder.Environment.ContentRootPath);
        var signing = DevelopmentCertificates.Signing(dataFolder);

        // The authority is this app's own address, known only once Kestrel has bound (dynamic ports in tests);
        // options are built on first use, after the server started. The provider's metadata is known here, so
        // the handlers get it directly instead of fetching the discovery document from their own process:
        // this also lets the in-memory test server redirect to the provider and validate its tokens.
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IServer>((o, server) => (o.Authority, o.Configuration) = Metadata(server, signing));
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IServer>((o, server) => (o.Authority, o.Configuration) = Metadata(server, signing));

        builder.Services.AddDbContext<EmbeddedIdentityDb>(o =>
        {
            o.UseSqlite($"Data Source={Path.Combine(dataFolder, "embedded-identity.db")}");
            o.UseOpenIddict();
        });

        builder.Services.AddAuthentication().AddCookie(SessionScheme, o =>
        {
            o.Cookie.Name = "__compliance_provider";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.LoginPath = LoginPath;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });

        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<EmbeddedIdentityDb>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess, DemoClients.ApiScope);
                o.AddSigningCertificate(signing)
                    .AddEncryptionCertificate(DevelopmentCertificates.Encryption(dataFolder));
                // The API validates access tokens as plain signed JWTs (JwtBearer), like any external provider's.
                o.DisableAccessTokenEncryption();
                var aspNetCore = o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (builder.Environment.IsDevelopment())
                {
                    // Plain HTTP on loopback (dotnet run's http profile, tests on a dynamic port); never in Production.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        builder.Services.AddSingleton(new EmbeddedClientSettings(settings.ClientId, settings.ClientSecret));
        builder.Services.AddHostedService<EmbeddedProviderSeeder>();
    }

    private static (string Authority, OpenIdConnectConfiguration Configuration) Metadata(IServer server, System.Security.Cryptography.X509Certificates.X509Certificate2 signing)
    {
        var authority = ServerAddress.Primary(server);
        var configuration = new OpenIdConnectConfiguration
        {
            Issuer = authority + "/",
            AuthorizationEndpoint = authority + "/connect/authorize",
            TokenEndpoint = authority + "/connect/token",
            EndSessionEndpoint = authority + "/connect/logout",
        };
        configuration.SigningKeys.Add(new X509SecurityKey(signing));
        return (authority, configuration);
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)Authorize).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/connect/token", (Delegate)Token).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(EdgeProtection.Token);
        app.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSession).AllowAnonymous().DisableAntiforgery();
    }

    private static async Task<IResult> Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var session = await context.AuthenticateAsync(SessionScheme);
        var user = session.Succeeded ? DemoUsers.Find(session.Principal?.Identity?.Name) : null;
        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(
                    new AuthenticationProperties(new Dictionary<string, string?>
                    {
                        [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user is not signed in.",
                    }),
                    [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            var parameters = context.Request.HasFormContentType
                ? context.Request.Form.Where(p => p.Key != "prompt").ToList()
                : context.Request.Query.Where(p => p.Key != "prompt").ToList();
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters);
            return Results.Redirect($"{LoginPath}?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        var principal = PrincipalFor(user, context.RequestServices.GetRequiredService<OidcSettings>());
        principal.SetScopes(request.GetScopes());
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> Token(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var settings = context.RequestServices.GetRequiredService<OidcSettings>();

        if (request.IsClientCredentialsGrantType())
        {
            // OpenIddict has already checked the client's id and secret and its permission for this grant.
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, settings.RoleClaim);
            identity.SetClaim(Claims.Subject, request.ClientId);
            identity.SetClaim(Claims.Name, request.ClientId);
            identity.SetClaims(settings.RoleClaim, [Roles.Pipeline]);
            var principal = new ClaimsPrincipal(identity);
            principal.SetScopes(request.GetScopes());
            principal.SetResources(DemoClients.ApiResource);
            principal.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = DemoUsers.Find(result.Principal?.GetClaim(Claims.Subject));
            if (user is null)
            {
                return Results.Forbid(
                    new AuthenticationProperties(new Dictionary<string, string?>
                    {
                        [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
                        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user no longer exists.",
                    }),
                    [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            // Rebuilt from the current account so role changes take effect at the next token.
            var principal = PrincipalFor(user, settings);
            principal.SetScopes(result.Principal!.GetScopes());
            return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        throw new InvalidOperationException($"The grant type '{request.GrantType}' is not supported.");
    }

    private static async Task<IResult> EndSession(HttpContext context)
    {
        await context.SignOutAsync(SessionScheme);
        // OpenIddict redirects to the client's registered post_logout_redirect_uri, if one was given.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>The identity the provider vouches for, with claim names taken from <c>Oidc:RoleClaim</c> and <c>Oidc:CustomerClaim</c>.</summary>
    public static ClaimsPrincipal PrincipalFor(DemoUser user, OidcSettings settings)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, settings.RoleClaim);
        identity.SetClaim(Claims.Subject, user.Name);
        // As a real provider does: the subject is stable, the name is what people see (and may change).
        identity.SetClaim(Claims.Name, user.DisplayName);
        identity.SetClaim(Claims.PreferredUsername, user.Name);
        identity.SetClaim(Claims.GivenName, user.DisplayName);
        // An address on the reserved .example domain: notifications have someone to go to with a local SMTP catcher.
        identity.SetClaim(Claims.Email, $"{user.Name}@demo.example");
        identity.SetClaims(settings.RoleClaim, [.. user.Roles]);
        if (user.CustomerCode is not null)
        {
            identity.SetClaim(settings.CustomerClaim, user.CustomerCode);
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetResources(DemoClients.ApiResource);
        // Everything the app needs goes into both tokens: the web app reads the id_token, the API the access token.
        principal.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return principal;
    }

    /// <summary>Signs the user in at the provider (not yet at the app) after the login form checked the password.</summary>
    public static Task SignInAtProviderAsync(HttpContext context, DemoUser user)
    {
        var identity = new ClaimsIdentity(SessionScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Name));
        return context.SignInAsync(SessionScheme, new ClaimsPrincipal(identity));
    }
}

public sealed record EmbeddedClientSettings(string ClientId, string? ClientSecret);

/// <summary>
/// Creates the provider's database and registers its clients. The web client's redirect URIs need the
/// addresses Kestrel bound, so registration runs after the server started (dynamic ports in tests).
/// </summary>
internal sealed class EmbeddedProviderSeeder(IServiceProvider services, IServer server, EmbeddedClientSettings web, ILogger<EmbeddedProviderSeeder> log)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmbeddedIdentityDb>();
        await db.Database.EnsureCreatedAsync(cancellationToken);
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();

        var origins = ServerAddress.WithLoopbackAliases(server).Distinct().ToList();
        var webClient = new OpenIddictApplicationDescriptor
        {
            ClientId = web.ClientId,
            ClientSecret = string.IsNullOrEmpty(web.ClientSecret) ? null : web.ClientSecret,
            ClientType = string.IsNullOrEmpty(web.ClientSecret) ? ClientTypes.Public : ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "AI Model Compliance",
            Permissions =
            {
                OpenIddictConstants.Permissions.Endpoints.Authorization,
                OpenIddictConstants.Permissions.Endpoints.Token,
                OpenIddictConstants.Permissions.Endpoints.EndSession,
                OpenIddictConstants.Permissions.GrantTypes.AuthorizationCode,
                OpenIddictConstants.Permissions.GrantTypes.RefreshToken,
                OpenIddictConstants.Permissions.ResponseTypes.Code,
                OpenIddictConstants.Permissions.Scopes.Profile,
                OpenIddictConstants.Permissions.Scopes.Roles,
                OpenIddictConstants.Permissions.Prefixes.Scope + DemoClients.ApiScope,
            },
            Requirements = { OpenIddictConstants.Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var origin in origins)
        {
            webClient.RedirectUris.Add(new Uri(origin + "/signin-oidc"));
            webClient.PostLogoutRedirectUris.Add(new Uri(origin + "/signout-callback-oidc"));
        }

        var pipeline = new OpenIddictApplicationDescriptor
        {
            ClientId = DemoClients.PipelineId,
            ClientSecret = DemoClients.PipelineSecret,
            ClientType = ClientTypes.Confidential,
            DisplayName = "Deployment pipeline (demo)",
            Permissions =
            {
                OpenIddictConstants.Permissions.Endpoints.Token,
                OpenIddictConstants.Permissions.GrantTypes.ClientCredentials,
                OpenIddictConstants.Permissions.Prefixes.Scope + DemoClients.ApiScope,
            },
        };

        foreach (var descriptor in new[] { webClient, pipeline })
        {
            if (await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken) is { } existing)
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
            else
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
        }

        log.LogWarning(
            "Embedded development identity provider active (Oidc:Authority is empty): demo users {Users}, password = user name; redirect URIs for {Origins}",
            string.Join(", ", DemoUsers.All.Select(u => u.Name)), origins);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
