using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Tests.Infrastructure;

namespace Compliance.Tests.Auth;

public sealed class SignInTests : IClassFixture<KestrelAppFactory>
{
    private readonly KestrelAppFactory _app;

    public SignInTests(KestrelAppFactory app) => _app = app;

    [Fact]
    public async Task An_api_call_without_a_token_gets_401_not_a_redirect()
    {
        using var client = _app.CreateHttpClient();
        var response = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_api_call_with_a_forged_token_gets_401()
    {
        using var client = _app.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJwaXBlbGluZSIsInJvbGUiOiJQaXBlbGluZSJ9.");
        var response = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_pipeline_client_gets_a_token_by_client_credentials_and_the_api_accepts_it()
    {
        using var client = _app.CreateHttpClient();
        var token = await client.RequestPipelineTokenAsync();
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var accessToken = await token.AccessTokenAsync();

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var response = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pipeline", me.GetProperty("name").GetString());
        Assert.Contains("Pipeline", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task The_pipeline_client_with_a_wrong_secret_gets_no_token()
    {
        using var client = _app.CreateHttpClient();
        var token = await client.RequestPipelineTokenAsync("not-the-secret");
        Assert.False(token.IsSuccessStatusCode);
        Assert.DoesNotContain("access_token", await token.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_page_without_a_session_redirects_to_the_providers_authorization_endpoint_with_pkce()
    {
        using var client = _app.CreateHttpClient();
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(new Uri(_app.Address, "/connect/authorize").ToString(), location);
        Assert.Contains("code_challenge=", location);
        Assert.Contains("code_challenge_method=S256", location);
        Assert.Contains("response_type=code", location);
    }

    [Fact]
    public async Task The_provider_sends_a_visitor_without_a_provider_session_to_its_login_page()
    {
        using var client = _app.CreateHttpClient(followRedirects: true);
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/connect/login", response.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("__RequestVerificationToken", html);
        Assert.Contains("type=\"password\"", html);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/connect/login")]
    public async Task Responses_carry_the_security_headers(string path)
    {
        using var client = _app.CreateHttpClient();
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/inventory/bindings?page=2", true)]
    [InlineData("https://evil.example/", false)]
    [InlineData("//evil.example/", false)]
    [InlineData("/\\evil.example/", false)]
    [InlineData("", false)]
    public void Sign_in_returns_only_to_paths_on_this_site(string returnUrl, bool accepted) =>
        Assert.Equal(accepted, Compliance.Web.Auth.ReturnUrls.IsLocal(returnUrl));
}
