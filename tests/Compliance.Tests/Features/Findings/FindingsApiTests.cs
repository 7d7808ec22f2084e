using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;

namespace Compliance.Tests.Features.Findings;

/// <summary>Findings, waivers and check runs through <c>/api/v1</c>, as a ticket system and an officer's script use them.</summary>
public sealed class FindingsApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private HttpClient Officer => app.As("officer-1", Roles.ComplianceOfficer);

    private async Task<JsonElement> OpenFindingAsync(HttpClient client, string query = "")
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/findings?limit=1000{query}");
        return page.GetProperty("items").EnumerateArray().First(f => f.GetProperty("status").GetString() == "Open");
    }

    [Fact]
    public async Task Pages_of_findings_follow_one_another_without_repeating_or_skipping()
    {
        using var client = app.As("pipeline-1", Roles.Pipeline);
        var all = (await client.GetFromJsonAsync<JsonElement>("/api/v1/findings?status=all&limit=1000")).GetProperty("items")
            .EnumerateArray().Select(f => f.GetProperty("id").GetInt64()).ToList();
        Assert.True(all.Count > 4, "the demo inventory's check opens findings");

        var paged = new List<long>();
        long? next = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/findings?status=all&limit=3{(next is { } n ? $"&after={n}" : "")}");
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("id").GetInt64()));
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetInt64();
        }
        while (next is not null);

        Assert.Equal(all, paged);
    }

    [Fact]
    public async Task Findings_filter_by_severity_and_an_unknown_finding_is_a_404_problem()
    {
        using var client = Officer;
        var critical = await client.GetFromJsonAsync<JsonElement>("/api/v1/findings?severity=Critical&limit=1000");
        Assert.All(critical.GetProperty("items").EnumerateArray(), f => Assert.Equal("Critical", f.GetProperty("severity").GetString()));

        var missing = await client.GetAsync("/api/v1/findings/987654321");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_officer_waives_a_finding_and_withdraws_the_waiver()
    {
        using var client = Officer;
        var finding = await OpenFindingAsync(client, "&rule=Unapproved");
        var id = finding.GetProperty("id").GetInt64();

        var waived = await client.PostAsJsonAsync($"/api/v1/findings/{id}/waivers",
            new { justification = "Vendor review under way", expiresAt = DateTime.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, waived.StatusCode);
        var waiver = await waived.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("officer-1", waiver.GetProperty("grantedBy").GetString());
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/findings/{id}");
        Assert.Equal("Waived", detail.GetProperty("finding").GetProperty("status").GetString());
        Assert.Single(detail.GetProperty("waivers").EnumerateArray());

        var revoked = await client.PostAsJsonAsync($"/api/v1/waivers/{waiver.GetProperty("id").GetInt32()}/revoke", new { reason = "Review failed" });
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("officer-1", (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revokedBy").GetString());
        Assert.Equal("Open", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/findings/{id}")).GetProperty("finding").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Pipeline)]
    [InlineData(Roles.Administrator)]
    public async Task Only_an_officer_may_waive(string role)
    {
        using var officer = Officer;
        var id = (await OpenFindingAsync(officer)).GetProperty("id").GetInt64();
        using var client = app.As("someone", role);

        var response = await client.PostAsJsonAsync($"/api/v1/findings/{id}/waivers", new { justification = "mine", expiresAt = DateTime.UtcNow.AddDays(5) });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Open", (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/findings/{id}")).GetProperty("finding").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_waiver_beyond_a_year_is_refused_naming_the_limit_and_changes_nothing()
    {
        using var client = Officer;
        var id = (await OpenFindingAsync(client)).GetProperty("id").GetInt64();
        // Another test of this class may have waived and revoked this finding before: compare with what was there.
        var before = await WaiversOfAsync(client, id);

        var response = await client.PostAsJsonAsync($"/api/v1/findings/{id}/waivers", new { justification = "long", expiresAt = DateTime.UtcNow.AddYears(3) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most one year", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await WaiversOfAsync(client, id));
    }

    private static async Task<string> WaiversOfAsync(HttpClient client, long findingId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/findings/{findingId}")).GetProperty("waivers").GetRawText();

    [Fact]
    public async Task A_customer_reads_no_finding()
    {
        using var client = app.As("customer-acme", Roles.Customer);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/findings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/check-runs")).StatusCode);
    }

    [Fact]
    public async Task A_repeated_read_answers_304_until_the_finding_changes()
    {
        using var client = Officer;
        var id = (await OpenFindingAsync(client, "&severity=High")).GetProperty("id").GetInt64();
        var first = await client.GetAsync($"/api/v1/findings/{id}");
        var tag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/findings/{id}");
        again.Headers.IfNoneMatch.Add(tag);
        var unchanged = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());

        await client.PostAsJsonAsync($"/api/v1/findings/{id}/waivers", new { justification = "accepted", expiresAt = DateTime.UtcNow.AddDays(10) });
        using var after = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/findings/{id}");
        after.Headers.IfNoneMatch.Add(tag);
        var changed = await client.SendAsync(after);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(tag, changed.Headers.ETag);
    }

    [Fact]
    public async Task Officers_ask_for_a_check_run_and_auditors_cannot()
    {
        using var auditor = app.As("auditor-1", Roles.Auditor);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync("/api/v1/check-runs", null)).StatusCode);

        using var client = Officer;
        var requested = await client.PostAsync("/api/v1/check-runs", null);
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);

        var runs = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/check-runs");
        var first = runs.GetProperty("items")[0];
        Assert.Equal("Succeeded", first.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/check-runs/{first.GetProperty("id").GetInt32()}")).StatusCode);
    }
}
