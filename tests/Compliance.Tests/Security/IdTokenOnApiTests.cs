using System.Net;
using System.Net.Http.Headers;
using Compliance.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Compliance.Tests.Security;

/// <summary>
/// An ID token proves a sign-in to the web client; it is not a grant to call the API. With an external provider
/// whose access tokens carry the client id as audience (Entra ID v2), the ID token's audience matches too: the
/// API must still refuse it.
/// </summary>
public sealed class IdTokenOnApiTests : IClassFixture<IdTokenOnApiTests.ClientIdAudienceApp>
{
    private readonly ClientIdAudienceApp _app;

    public IdTokenOnApiTests(ClientIdAudienceApp app) => _app = app;

    [Fact]
    public async Task A_real_id_token_from_the_provider_presented_as_a_bearer_token_gets_401()
    {
        using var officer = await BrowserSession.SignInAsync(_app, "officer");
        var idToken = officer.IdToken;
        Assert.Contains("compliance-web", new JsonWebToken(idToken).Audiences);

        using var client = _app.CreateHttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", idToken);
        var response = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_access_token_for_another_audience_gets_401()
    {
        // The pipeline's access token is for compliance-api; this API is configured for compliance-web.
        using var client = await _app.CreateHttpClient().AsPipelineAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    /// <summary>The API configured with the web client id as its audience, as an Entra ID deployment is.</summary>
    public sealed class ClientIdAudienceApp : KestrelAppFactory
    {
        protected override Dictionary<string, string?> Settings => new(base.Settings)
        {
            ["Oidc:ApiAudience"] = "compliance-web",
            ["Oidc:Audience"] = "compliance-web",
        };
    }
}
