using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Compliance.Web.Auth;

/// <summary>Sign-in and sign-out for browsers, and <c>GET /api/v1/me</c> (who the API sees).</summary>
public static class AuthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").AllowAnonymous();
        account.MapGet("/login", (string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = IsLocal(returnUrl) ? returnUrl : "/" }, [OpenIdConnectDefaults.AuthenticationScheme]));

        // Ends the app's cookie session and the provider's session (end-session endpoint), then returns home.
        account.MapGet("/logout", (HttpContext context) =>
            context.User.Identity?.IsAuthenticated == true
                ? Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                    [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme])
                : Results.Redirect("/"));

        app.MapGet("/api/v1/me", (HttpContext context) =>
            {
                var user = context.User;
                var roleClaim = context.RequestServices.GetRequiredService<OidcSettings>().RoleClaim;
                return Results.Ok(new
                {
                    name = user.ActorName(),
                    roles = user.FindAll(roleClaim).Select(c => c.Value).Distinct().ToArray(),
                });
            })
            .RequireAuthorization(Policies.Api)
            .WithName("GetCurrentPrincipal");
    }

    // Only paths on this site that browsers also read as such: never an absolute or protocol-relative URL (open redirect).
    internal static bool IsLocal(string? url) => ReturnUrls.IsLocal(url);
}
