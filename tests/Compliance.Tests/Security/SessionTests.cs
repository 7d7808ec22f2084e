using System.Net;
using System.Security.Claims;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Compliance.Tests.Security;

/// <summary>
/// A signed-out session is dead everywhere: the cookie replayed, another tab's live circuit; a session ends at its
/// absolute lifetime however active; and nobody can be signed out by a link.
/// </summary>
public sealed class SessionTests : IClassFixture<SessionTests.FastRevalidationApp>
{
    private readonly FastRevalidationApp _app;

    public SessionTests(FastRevalidationApp app) => _app = app;

    [Fact]
    public async Task A_session_cookie_replayed_after_sign_out_is_refused()
    {
        using var officer = await BrowserSession.SignInAsync(_app, "officer");
        var stolen = officer.CookieHeader;
        Assert.Equal(HttpStatusCode.OK, await MeAsync(stolen));

        var signedOut = await officer.SignOutAsync();
        Assert.True(signedOut.IsSuccessStatusCode, signedOut.StatusCode.ToString());

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(stolen));
    }

    [Fact]
    public async Task A_live_circuit_loses_its_user_once_the_session_is_signed_out_in_another_tab()
    {
        using var officer = await BrowserSession.SignInAsync(_app, "officer");
        await using var circuit = _app.Services.CreateAsyncScope();
        var state = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        Assert.IsType<SessionRevalidatingAuthenticationStateProvider>(state);
        var changed = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        ((IHostEnvironmentAuthenticationStateProvider)state).SetAuthenticationState(Task.FromResult(new AuthenticationState(officer.Ticket.Principal)));
        state.AuthenticationStateChanged += async task => changed.TrySetResult(await task);

        // Several revalidations pass while the session lives.
        await Task.Delay(TimeSpan.FromMilliseconds(800));
        Assert.False(changed.Task.IsCompleted);
        Assert.True((await state.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);

        await officer.SignOutAsync();

        var after = await changed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.False(after.User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task A_session_past_its_absolute_lifetime_is_refused_although_its_cookie_has_not_expired()
    {
        var identity = new ClaimsIdentity([new Claim("sub", "officer"), new Claim("name", "officer"), new Claim("role", Roles.ComplianceOfficer)],
            CookieAuthenticationDefaults.AuthenticationScheme, "name", "role");
        var principal = new ClaimsPrincipal(identity);
        SessionStore.Begin(principal, DateTimeOffset.UtcNow.AddHours(-13), TimeSpan.FromHours(12)); // signed in 13 h ago, active since
        var ticket = new AuthenticationTicket(principal,
            new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow.AddMinutes(-1), ExpiresUtc = DateTimeOffset.UtcNow.AddHours(8) },
            CookieAuthenticationDefaults.AuthenticationScheme);
        var cookie = _app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme)
            .TicketDataFormat.Protect(ticket);

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync($"__compliance={cookie}"));
    }

    [Fact]
    public async Task Sign_out_by_a_link_or_a_post_without_the_antiforgery_token_does_nothing()
    {
        using var officer = await BrowserSession.SignInAsync(_app, "officer");

        var byLink = await officer.Client.GetAsync("/account/logout");
        var forged = await officer.SignOutAsync(withToken: false);

        Assert.False(byLink.IsSuccessStatusCode, byLink.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(officer.CookieHeader));
    }

    private async Task<HttpStatusCode> MeAsync(string cookieHeader)
    {
        using var client = _app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Cookie", cookieHeader);
        return (await client.SendAsync(request)).StatusCode;
    }

    /// <summary>Circuits revalidate every 200 ms instead of every 5 minutes, so the test sees it happen.</summary>
    public sealed class FastRevalidationApp : KestrelAppFactory
    {
        protected override Dictionary<string, string?> Settings => new(base.Settings) { ["Sessions:RevalidationInterval"] = "00:00:00.200" };
    }
}
