using System.Net;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;

namespace Compliance.Tests.Security;

/// <summary>
/// The sign-in's <c>returnUrl</c> is attacker-chosen (a link in a phishing mail): only paths every parser, the
/// browser's included, reads as this site's are followed.
/// </summary>
public sealed class OpenRedirectTests : IClassFixture<KestrelAppFactory>
{
    private readonly KestrelAppFactory _app;

    public OpenRedirectTests(KestrelAppFactory app) => _app = app;

    public static TheoryData<string> EvilReturnUrls => new()
    {
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "/ /evil.example",
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%2F/evil.example",
        "/%2f%2fevil.example",
        "/%5Cevil.example",
        "/\u0000/evil.example",
        "/inventory\\..\\\\evil.example",
        "evil.example",
        "",
        " /",
    };

    [Theory]
    [MemberData(nameof(EvilReturnUrls))]
    public void An_evil_return_url_is_not_local(string returnUrl) => Assert.False(ReturnUrls.IsLocal(returnUrl), returnUrl);

    [Theory]
    [InlineData("/")]
    [InlineData("/inventory/bindings?page=2")]
    [InlineData("/findings/12#detail")]
    [InlineData("/verify/ABCD-EFGH")]
    [InlineData("/inventory/bindings?q=%C3%A9t%C3%A9")]
    public void A_path_on_this_site_is_local(string returnUrl) => Assert.True(ReturnUrls.IsLocal(returnUrl), returnUrl);

    [Theory]
    [MemberData(nameof(EvilReturnUrls))]
    public async Task Signing_in_with_an_evil_return_url_comes_back_home(string returnUrl)
    {
        using var client = _app.CreateHttpClient();
        var challenge = await client.GetAsync("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);

        // The state the handler sends to the provider carries the redirect: it comes back as "/", so decode it with the app's own protector.
        var state = System.Web.HttpUtility.ParseQueryString(challenge.Headers.Location!.Query)["state"];
        Assert.Equal("/", RedirectUriIn(state!));
    }

    private string RedirectUriIn(string state)
    {
        var options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<
            Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>>(_app.Services)
            .Get(Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectDefaults.AuthenticationScheme);
        return options.StateDataFormat.Unprotect(state)!.RedirectUri!;
    }
}
