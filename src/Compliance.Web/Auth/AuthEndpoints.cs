using Microsoft.AspNetCore.Antiforgery;
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
            Results.Challenge(new AuthenticationProperties { RedirectUri = ReturnUrls.IsLocal(returnUrl) ? returnUrl : "/" }, [OpenIdConnectDefaults.AuthenticationScheme]));

        // Ends the app's session (server-side too: the cookie is dead even if replayed, other tabs' circuits end at
        // their next revalidation) and the provider's session (end-session endpoint), then returns home. A POST with
        // the antiforgery token: a link or image elsewhere cannot sign anyone out.
        account.MapPost("/logout", async (HttpContext context, IAntiforgery antiforgery, SessionStore sessions) =>
            {
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    return Results.BadRequest();
                }

                if (context.User.Identity?.IsAuthenticated != true)
                {
                    return Results.Redirect("/");
                }

                await sessions.EndAsync(context.User, context.RequestAborted);
                return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                    [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
            })
            .DisableAntiforgery(); // validated above, with a plain 400 instead of an exception

        app.MapGet("/api/v1/me", (HttpContext context) =>
            {
                var user = context.User;
                var roleClaim = context.RequestServices.GetRequiredService<OidcSettings>().RoleClaim;
                return Results.Ok(new
                {
                    subject = user.ActorName(),
                    name = user.DisplayName(),
                    roles = user.FindAll(roleClaim).Select(c => c.Value).Distinct().ToArray(),
                });
            })
            .RequireAuthorization(Policies.Api)
            .WithName("GetCurrentPrincipal");
    }
}
