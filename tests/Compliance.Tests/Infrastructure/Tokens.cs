using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Compliance.Tests.Infrastructure;

/// <summary>Access tokens from the embedded identity provider, obtained the way a deployment pipeline does.</summary>
public static class Tokens
{
    public static async Task<HttpClient> AsPipelineAsync(this HttpClient client)
    {
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "pipeline",
            ["client_secret"] = "pipeline-secret",
            ["scope"] = "compliance-api",
        }));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
