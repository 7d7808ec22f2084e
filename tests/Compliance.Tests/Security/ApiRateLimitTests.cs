using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Compliance.Tests.Security;

/// <summary>Each API caller has its own budget: a runaway script gets 429 with Retry-After, the others go on.</summary>
public sealed class ApiRateLimitTests(ApiRateLimitTests.Factory app) : IClassFixture<ApiRateLimitTests.Factory>
{
    public sealed class Factory : ComplianceAppFactory
    {
        protected override Dictionary<string, string?> Settings => new(base.Settings) { ["RateLimits:ApiPerClientPerMinute"] = "3" };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(TestAuthentication.Use);
        }
    }

    [Fact]
    public async Task A_caller_over_its_budget_gets_429_with_retry_after_and_another_caller_is_not_affected()
    {
        using var runaway = TestAuthentication.ClientAs(app, "script-1", Roles.Pipeline);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 4; i++)
        {
            last = await runaway.GetAsync("/api/v1/ping");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.InRange(last.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Retry-After", (await last.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        using var other = TestAuthentication.ClientAs(app, "script-2", Roles.Pipeline);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/ping")).StatusCode);
    }
}
