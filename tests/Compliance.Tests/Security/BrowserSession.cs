using System.Net;
using System.Text.RegularExpressions;
using Compliance.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Compliance.Tests.Security;

/// <summary>
/// A browser's session over plain HTTP: signs in through the real embedded provider's login form (antiforgery token,
/// authorization code + PKCE, the app's callback) and keeps the cookies, so tests can attack a real session.
/// </summary>
public sealed partial class BrowserSession : IDisposable
{
    private readonly KestrelAppFactory? _app;

    private BrowserSession(KestrelAppFactory? app, Uri address, CookieContainer cookies, HttpClient client) =>
        (_app, Address, Cookies, Client) = (app, address, cookies, client);

    /// <summary>The in-process app signed in to (for reading its session ticket).</summary>
    public KestrelAppFactory App => _app ?? throw new InvalidOperationException("This session is on an app in another process.");

    /// <summary>The app's address: where the session was signed in.</summary>
    public Uri Address { get; }

    public CookieContainer Cookies { get; }

    /// <summary>Follows redirects and keeps cookies, as a browser does.</summary>
    public HttpClient Client { get; }

    public static Task<BrowserSession> SignInAsync(KestrelAppFactory app, string user) => SignInAsync(app, app.Address, user);

    /// <summary>Signs in to the app at <paramref name="address"/> (e.g. a child process).</summary>
    public static Task<BrowserSession> SignInAsync(Uri address, string user) => SignInAsync(null, address, user);

    private static async Task<BrowserSession> SignInAsync(KestrelAppFactory? app, Uri address, string user)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true, UseCookies = true, CookieContainer = cookies }) { BaseAddress = address };
        var login = await client.GetAsync("/account/login?returnUrl=%2Fhealth");
        Assert.Equal("/connect/login", login.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await login.Content.ReadAsStringAsync();
        var signedIn = await client.PostAsync(login.RequestMessage.RequestUri, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(html),
            ["Input.Username"] = user,
            ["Input.Password"] = user,
        }));
        Assert.True(signedIn.IsSuccessStatusCode, $"sign-in of {user}: {signedIn.StatusCode}");
        Assert.Equal("/health", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        var session = new BrowserSession(app, address, cookies, client);
        Assert.NotNull(session.AppCookie);
        return session;
    }

    /// <summary>The app's session cookie (<c>__compliance</c>, possibly chunked: its first chunk).</summary>
    public Cookie? AppCookie => Cookies.GetAllCookies().FirstOrDefault(c => c.Name == "__compliance");

    /// <summary>The session cookie's whole value, its chunks (<c>chunks-N</c>, then <c>__complianceC1</c>…) put back together.</summary>
    public string AppCookieValue
    {
        get
        {
            var all = Cookies.GetAllCookies().ToDictionary(c => c.Name, c => c.Value);
            var first = all["__compliance"];
            return first.StartsWith("chunks-", StringComparison.Ordinal)
                ? string.Concat(Enumerable.Range(1, int.Parse(first["chunks-".Length..])).Select(i => all[$"__complianceC{i}"]))
                : first;
        }
    }

    /// <summary>The tokens the sign-in handler saved in the session ticket (<c>SaveTokens</c>): the real ID token the provider issued.</summary>
    public string IdToken
    {
        get
        {
            var options = App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
            var ticket = options.TicketDataFormat.Unprotect(AppCookieValue) ?? throw new InvalidOperationException("The session cookie does not decrypt.");
            return ticket.Properties.GetTokenValue("id_token") ?? throw new InvalidOperationException("No id_token in the session.");
        }
    }

    /// <summary>The session ticket inside the cookie, as the app reads it.</summary>
    public AuthenticationTicket Ticket =>
        App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme)
            .TicketDataFormat.Unprotect(AppCookieValue) ?? throw new InvalidOperationException("The session cookie does not decrypt.");

    /// <summary>The Cookie header this browser sends now: what a thief copies.</summary>
    public string CookieHeader => Cookies.GetCookieHeader(Address);

    /// <summary>An antiforgery token issued to this session (from a page with a form).</summary>
    public async Task<string> AntiforgeryTokenAsync() => AntiforgeryToken(await Client.GetStringAsync("/verify"));

    /// <summary>Signs out as the account menu does: a POST with the antiforgery token.</summary>
    public async Task<HttpResponseMessage> SignOutAsync(bool withToken = true)
    {
        var fields = new Dictionary<string, string>();
        if (withToken)
        {
            fields["__RequestVerificationToken"] = await AntiforgeryTokenAsync();
        }

        return await Client.PostAsync("/account/logout", new FormUrlEncodedContent(fields));
    }

    public static string AntiforgeryToken(string html) =>
        TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new InvalidOperationException("No antiforgery token in the page.");

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
