using System.Net;
using System.Net.Http.Headers;
using Compliance.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Compliance.Tests.Auth;

/// <summary>
/// The in-memory test host (what most integration tests use) signs the pipeline in and redirects
/// browsers to the provider too: API tests can get real tokens without Kestrel.
/// </summary>
public sealed class InMemoryHostTests : IClassFixture<ComplianceAppFactory>
{
    private readonly ComplianceAppFactory _app;

    public InMemoryHostTests(ComplianceAppFactory app) => _app = app;

    [Fact]
    public async Task A_pipeline_token_from_the_in_memory_host_is_accepted_by_its_api()
    {
        using var client = _app.CreateClient();
        var token = await client.RequestPipelineTokenAsync();
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var accessToken = await token.AccessTokenAsync();

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var me = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task An_anonymous_page_request_is_redirected_to_the_provider()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/connect/authorize?", response.Headers.Location!.ToString());
    }
}
