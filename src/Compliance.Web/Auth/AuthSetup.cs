using Microsoft.AspNetCore.Authentication.Cookies;

namespace Compliance.Web.Auth;

public static class AuthSetup
{
    public static WebApplicationBuilder AddComplianceAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddAuthorization(Policies.Register);
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }
}
