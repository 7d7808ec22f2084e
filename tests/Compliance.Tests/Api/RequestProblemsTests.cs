using System.Net;
using System.Text;
using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;

namespace Compliance.Tests.Api;

/// <summary>
/// Malformed requests posted to the real app: each answers Problem Details naming the field and what is accepted, in
/// Production and in Development alike, and never shows an exception type or a stack trace.
/// </summary>
public abstract class RequestProblemsTests(ComplianceAppFactory app)
{
    public static TheoryData<string, string, string, string> BadBodies => new()
    {
        // path, body, field named, words of what is accepted
        { "/api/v1/bindings", """{"modelId": 1, "workloadId": 1,""", "$", "well-formed JSON" },
        { "/api/v1/bindings", """not json at all""", "$", "well-formed JSON" },
        { "/api/v1/bindings", """{"modelId": "one", "workloadId": 1}""", "modelId", "a whole number" },
        { "/api/v1/bindings", """{"modelId": 1, "workloadId": 1, "usage": "Training"}""", "usage", "Inference, Agent, CodingAssistant" },
        { "/api/v1/bindings", """{"modelId": 1, "workloadId": 1, "from": "2026-13-45"}""", "from", "ISO 8601 date" },
        { "/api/v1/bindings", """{"modelId": 1, "workloadId": 1, "purpose": 12}""", "purpose", "a string" },
        { "/api/v1/bindings", """[1, 2]""", "$", "modelId" },
        { "/api/v1/bindings/1/move", """{"modelId": 2, "at": "yesterday"}""", "at", "ISO 8601 date" },
        { "/api/v1/bindings/1/end", """{"at": true}""", "at", "ISO 8601 date" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_malformed_body_is_a_problem_naming_the_field_and_what_is_accepted(string path, string body, string field, string accepted)
    {
        var response = await Client().PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.GetProperty("field").GetString());
        Assert.Contains(accepted, problem.GetProperty("detail").GetString() + " " + problem.GetProperty("accepted").GetString());
    }

    [Fact]
    public async Task An_empty_body_is_a_problem_listing_the_fields_to_send()
    {
        var response = await Client().PostAsync("/api/v1/bindings", new StringContent("", Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("The request body is empty", problem.GetProperty("title").GetString());
        Assert.Contains("modelId", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem_naming_the_content_type()
    {
        var response = await Client().PostAsync("/api/v1/bindings", new StringContent("modelId=1", Encoding.UTF8, "text/plain"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Content-Type", problem.GetProperty("field").GetString());
        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_a_problem_naming_the_parameter()
    {
        var response = await Client().GetAsync("/api/v1/bindings?limit=many");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("limit", problem.GetProperty("field").GetString());
        Assert.Contains("a whole number", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_enum_value_in_the_query_is_a_problem_listing_the_values()
    {
        var response = await Client().GetAsync("/api/v1/decisions?model=x&workload=1&usage=Training");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("usage", problem.GetProperty("field").GetString());
        Assert.Contains("one of Inference, Agent, CodingAssistant", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/v1/no-such-thing", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/bindings/abc", HttpStatusCode.NotFound)]
    public async Task A_bare_api_error_has_a_problem_body(string path, HttpStatusCode status)
    {
        await AssertProblemAsync(await Client().GetAsync(path), status);
    }

    [Fact]
    public async Task A_call_without_sign_in_is_a_401_problem()
    {
        using var anonymous = app.CreateClient();
        await AssertProblemAsync(await anonymous.GetAsync("/api/v1/models"), HttpStatusCode.Unauthorized);
    }

    private HttpClient Client()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(TestAuthentication.UserHeader, "pipeline");
        client.DefaultRequestHeaders.Add(TestAuthentication.RoleHeader, Roles.Pipeline);
        return client;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        // Nothing from inside the app: no exception, .NET type name or stack frame.
        foreach (var leak in new[] { "Exception", "System.", "Compliance.", "   at ", "stack", "LineNumber:" })
        {
            Assert.DoesNotContain(leak, text, StringComparison.OrdinalIgnoreCase);
        }

        return problem;
    }
}

public sealed class RequestProblemsInProductionTests(ProductionAppFactory app)
    : RequestProblemsTests(app), IClassFixture<ProductionAppFactory>;

public sealed class RequestProblemsInDevelopmentTests(DevelopmentHeaderAuthAppFactory app)
    : RequestProblemsTests(app), IClassFixture<DevelopmentHeaderAuthAppFactory>;
