using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Tests.Infrastructure;

/// <summary>
/// A sign-in for HTTP tests of authorization: the request names its user and role in headers. Only for checking
/// what each role may reach; the real OpenID Connect sign-in is tested end to end on its own.
/// </summary>
public sealed class TestAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string UserHeader = "X-Test-User";
    public const string RoleHeader = "X-Test-Role";

    /// <summary>The customer claim (<c>customer_id</c>, a customer code) of a Customer principal.</summary>
    public const string CustomerHeader = "X-Test-Customer";

    /// <summary>A client of <paramref name="app"/> signed in as <paramref name="user"/> with these roles (acme's customer when one is Customer).</summary>
    public static HttpClient ClientAs(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app, string user, params string[] roles)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(UserHeader, user);
        foreach (var role in roles)
        {
            client.DefaultRequestHeaders.Add(RoleHeader, role);
        }

        if (roles.Contains(Compliance.Web.Auth.Roles.Customer))
        {
            client.DefaultRequestHeaders.Add(CustomerHeader, "acme");
        }

        return client;
    }

    public static void Use(IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TestAuthentication>(SchemeName, null);
        services.PostConfigure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = SchemeName;
            o.DefaultAuthenticateScheme = SchemeName;
            o.DefaultChallengeScheme = SchemeName;
            o.DefaultForbidScheme = SchemeName;
        });
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(UserHeader, out var user))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim> { new("name", user.ToString()), new("sub", user.ToString()) };
        claims.AddRange(Request.Headers[RoleHeader].Select(r => new Claim("role", r!)));
        claims.AddRange(Request.Headers[CustomerHeader].Select(c => new Claim("customer_id", c!)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, "name", "role"));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
