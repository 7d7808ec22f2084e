using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;

namespace Compliance.Tests.Features.Audit;

/// <summary>The audit trail through <c>/api/v1/audit</c>: an auditor's tool re-walks the chain from the pages it reads.</summary>
public sealed class AuditApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    [Fact]
    public async Task An_auditor_pages_through_events_whose_hashes_link_into_a_chain()
    {
        using var auditor = app.As("auditor-1", Roles.Auditor);
        var events = new List<JsonElement>();
        long? next = null;
        do
        {
            var page = await auditor.GetFromJsonAsync<JsonElement>($"/api/v1/audit/events?limit=50{(next is { } n ? $"&after={n}" : "")}");
            events.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetInt64();
        }
        while (next is not null);

        Assert.True(events.Count > 50, "the demo data writes more than one page of events");
        for (var i = 1; i < events.Count; i++)
        {
            Assert.Equal(events[i - 1].GetProperty("hash").GetString(), events[i].GetProperty("previousHash").GetString());
        }
    }

    [Theory]
    [InlineData(Roles.Pipeline)]
    [InlineData(Roles.Customer)]
    public async Task Pipelines_and_customers_read_no_audit_event(string role)
    {
        using var client = app.As("someone", role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/audit/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/v1/audit/verification", null)).StatusCode);
    }

    [Fact]
    public async Task Staff_ask_for_a_verification_and_read_the_latest()
    {
        using var officer = app.As("officer-1", Roles.ComplianceOfficer);
        var requested = await officer.PostAsync("/api/v1/audit/verification", null);
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        Assert.False(string.IsNullOrEmpty((await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()));

        var latest = await officer.GetAsync("/api/v1/audit/verification");
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        Assert.NotNull(latest.Headers.ETag);
    }
}
