using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Compliance.Tests.Infrastructure;

/// <summary>Access tokens from the embedded identity provider, obtained the way a deployment pipeline does.</summary>
public static class Tokens
{
    /// <summary>The client-credentials token request of the <c>pipeline</c> client, answered as the provider answers it.</summary>
    public static Task<HttpResponseMessage> RequestPipelineTokenAsync(this HttpClient client, string secret = "pipeline-secret") =>
        client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "pipeline",
            ["client_secret"] = secret,
            ["scope"] = "compliance-api",
        }));

    /// <summary>The access token of a successful token response.</summary>
    public static async Task<string?> AccessTokenAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();

    /// <summary>Signs the client in as the pipeline: every later request carries its bearer token.</summary>
    public static async Task<HttpClient> AsPipelineAsync(this HttpClient client)
    {
        var response = await client.RequestPipelineTokenAsync();
        response.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await response.AccessTokenAsync());
        return client;
    }
}
