using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Tests.Infrastructure;

namespace Compliance.Tests.Features.Inventory;

/// <summary>The inventory API over real HTTP with a real client-credentials token, as a deployment pipeline uses it.</summary>
public sealed class InventoryApiTests : IClassFixture<KestrelAppFactory>
{
    private readonly KestrelAppFactory _app;

    public InventoryApiTests(KestrelAppFactory app) => _app = app;

    [Theory]
    [InlineData("GET", "/api/v1/models")]
    [InlineData("GET", "/api/v1/bindings/1")]
    [InlineData("POST", "/api/v1/bindings")]
    [InlineData("POST", "/api/v1/bindings/1/end")]
    [InlineData("POST", "/api/v1/bindings/1/move")]
    public async Task Every_inventory_endpoint_refuses_a_call_without_a_token(string method, string path)
    {
        using var client = _app.CreateHttpClient();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_pipeline_registers_a_deployment_then_moves_it_then_ends_it()
    {
        using var client = await _app.CreateHttpClient().AsPipelineAsync();
        var models = await client.GetFromJsonAsync<JsonElement>("/api/v1/models?hosting=AWS%20Bedrock%20GovCloud&limit=2");
        var items = models.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var workloads = await client.GetFromJsonAsync<JsonElement>("/api/v1/workloads?limit=1");
        var workloadId = workloads.GetProperty("items")[0].GetProperty("id").GetInt32();

        var created = await client.PostAsJsonAsync("/api/v1/bindings",
            new { modelId = items[0].GetProperty("id").GetInt32(), workloadId, usage = "Agent", purpose = "release 7.1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var binding = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Agent", binding.GetProperty("usage").GetString());
        Assert.Equal(created.Headers.Location!.ToString(), $"/api/v1/bindings/{binding.GetProperty("id").GetInt32()}");

        var moved = await client.PostAsJsonAsync($"/api/v1/bindings/{binding.GetProperty("id").GetInt32()}/move",
            new { modelId = items[1].GetProperty("id").GetInt32(), reason = "vendor restricted" });
        Assert.Equal(HttpStatusCode.Created, moved.StatusCode);
        var next = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(items[1].GetProperty("hostModelId").GetString(), next.GetProperty("hostModelId").GetString());
        var old = await client.GetFromJsonAsync<JsonElement>($"/api/v1/bindings/{binding.GetProperty("id").GetInt32()}");
        Assert.Equal(next.GetProperty("from").GetDateTime(), old.GetProperty("to").GetDateTime());

        var ended = await client.PostAsJsonAsync($"/api/v1/bindings/{next.GetProperty("id").GetInt32()}/end", new { reason = "decommissioned" });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.NotEqual(JsonValueKind.Null, (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("to").ValueKind);
    }

    [Fact]
    public async Task An_invalid_binding_gets_problem_details_naming_each_field()
    {
        using var client = await _app.CreateHttpClient().AsPipelineAsync();
        var response = await client.PostAsJsonAsync("/api/v1/bindings", new { modelId = 987654, workloadId = 876543 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("There is no model 987654", problem.GetProperty("errors").GetProperty("modelId")[0].GetString());
        Assert.Contains("There is no workload 876543", problem.GetProperty("errors").GetProperty("workloadId")[0].GetString());
    }

    [Fact]
    public async Task An_unknown_binding_is_a_404_problem()
    {
        using var client = await _app.CreateHttpClient().AsPipelineAsync();
        var response = await client.PostAsJsonAsync("/api/v1/bindings/999999/end", new { });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_binding_endpoints()
    {
        using var client = _app.CreateHttpClient();
        var doc = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/bindings", out _));
        Assert.True(paths.TryGetProperty("/api/v1/bindings/{id}/move", out _));
    }

    [Fact]
    public async Task Move_date_before_the_start_is_refused_naming_the_field()
    {
        using var client = await _app.CreateHttpClient().AsPipelineAsync();
        var bindings = await client.GetFromJsonAsync<JsonElement>("/api/v1/bindings?limit=1");
        var binding = bindings.GetProperty("items")[0];
        var models = await client.GetFromJsonAsync<JsonElement>("/api/v1/models?limit=5");
        var other = models.GetProperty("items").EnumerateArray().First(m => m.GetProperty("id").GetInt32() != binding.GetProperty("modelId").GetInt32());
        var before = binding.GetProperty("from").GetDateTime().AddDays(-1);

        var response = await client.PostAsJsonAsync($"/api/v1/bindings/{binding.GetProperty("id").GetInt32()}/move",
            new { modelId = other.GetProperty("id").GetInt32(), at = before });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("after the binding's start", problem.GetProperty("errors").GetProperty("at")[0].GetString());
        var unchanged = await client.GetFromJsonAsync<JsonElement>($"/api/v1/bindings/{binding.GetProperty("id").GetInt32()}");
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("to").ValueKind);
    }

    [Theory]
    [InlineData("0001-01-01", "from")]
    [InlineData("9999-12-31", "from")]
    public async Task A_binding_dated_outside_the_window_or_with_a_too_long_purpose_is_refused_naming_the_field(string from, string field)
    {
        using var client = await _app.CreateHttpClient().AsPipelineAsync();
        var models = await client.GetFromJsonAsync<JsonElement>("/api/v1/models?limit=1");
        var workloads = await client.GetFromJsonAsync<JsonElement>("/api/v1/workloads?limit=1");
        var body = new
        {
            modelId = models.GetProperty("items")[0].GetProperty("id").GetInt32(),
            workloadId = workloads.GetProperty("items")[0].GetProperty("id").GetInt32(),
            usage = "CodingAssistant", from, purpose = new string('p', 501),
        };

        var response = await client.PostAsJsonAsync("/api/v1/bindings", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
        Assert.Contains("limit is 500", errors.GetProperty("purpose")[0].GetString());
    }
}
