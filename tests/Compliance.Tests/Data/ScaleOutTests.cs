using System.Net;
using System.Security.Claims;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Compliance.Tests.Data;

/// <summary>
/// Two instances of the app on one database (a scaled-out deployment behind a load balancer): the Data Protection keys
/// live in the database, so a sign-in cookie issued by one instance is accepted by the other; an instance on another
/// database (another key ring) refuses it.
/// </summary>
public abstract class ScaleOutTests : IDisposable
{
    public sealed class OnSqlite() : ScaleOutTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ScaleOutTests(DatabaseProvider.PostgreSql);

    private readonly Instance _a, _b, _other;

    /// <summary>The app on the given database (its own when none is given).</summary>
    private sealed class Instance(DatabaseProvider provider, string? connectionString) : ComplianceAppFactory(provider)
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                if (connectionString is not null)
                {
                    settings["ConnectionStrings:Compliance"] = connectionString;
                }

                return settings;
            }
        }
    }

    protected ScaleOutTests(DatabaseProvider provider)
    {
        _a = new Instance(provider, null);
        _a.CreateClient().Dispose(); // A migrates and seeds first, as the first instance of a deployment does
        _b = new Instance(provider, _a.ConnectionString); // the same database (B creates none of its own)
        _other = new Instance(provider, null);
    }

    public void Dispose()
    {
        _b.Dispose();
        _a.Dispose();
        _other.Dispose();
    }

    private static string SignInCookie(IServiceProvider services) => SignIn(services).Cookie;

    private static (string Cookie, ClaimsPrincipal User) SignIn(IServiceProvider services)
    {
        var identity = new ClaimsIdentity([new Claim("sub", "officer"), new Claim("name", "officer"), new Claim("role", Roles.ComplianceOfficer)],
            CookieAuthenticationDefaults.AuthenticationScheme, "name", "role");
        SessionStore.Begin(new ClaimsPrincipal(identity), DateTimeOffset.UtcNow, TimeSpan.FromHours(1)); // the session id and end the sign-in stamps
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) },
            CookieAuthenticationDefaults.AuthenticationScheme);
        var cookies = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        return ($"{cookies.Cookie.Name}={cookies.TicketDataFormat.Protect(ticket)}", ticket.Principal);
    }

    private static async Task<HttpStatusCode> PingAsync(WebApplicationFactory<Program> instance, string? cookie)
    {
        using var client = instance.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ping");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_sign_in_cookie_issued_by_one_instance_is_accepted_by_another_on_the_same_database_only()
    {
        var cookie = SignInCookie(_a.Services);

        Assert.Equal(HttpStatusCode.OK, await PingAsync(_a, cookie));
        Assert.Equal(HttpStatusCode.OK, await PingAsync(_b, cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingAsync(_b, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingAsync(_other, cookie)); // its own database, its own key ring
    }

    [Fact]
    public async Task A_session_signed_out_on_one_instance_is_refused_by_the_other_at_its_next_request()
    {
        var (cookie, user) = SignIn(_a.Services);
        Assert.Equal(HttpStatusCode.OK, await PingAsync(_b, cookie));

        await _a.Services.GetRequiredService<SessionStore>().EndAsync(user);

        Assert.Equal(HttpStatusCode.Unauthorized, await PingAsync(_b, cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingAsync(_a, cookie));
    }

    [Fact]
    public void A_payload_protected_by_one_instance_is_read_by_the_other()
    {
        var protectedText = _a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("scale-out test").Protect("hello from A");

        Assert.Equal("hello from A", _b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("scale-out test").Unprotect(protectedText));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            _other.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("scale-out test").Unprotect(protectedText));
    }
}
