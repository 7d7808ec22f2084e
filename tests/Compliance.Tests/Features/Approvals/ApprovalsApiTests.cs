using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;

namespace Compliance.Tests.Features.Approvals;

/// <summary>Approvals and restrictions through <c>/api/v1</c>: four-eyes by subject holds for API callers as it does in the UI.</summary>
public sealed class ApprovalsApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private async Task<int> ModelIdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/models?limit=1")).GetProperty("items")[0].GetProperty("id").GetInt32();

    private static object Request(int modelId) => new
    {
        modelId, maxImpactLevel = "IL4", dataCategories = "Cui", usages = "Inference", sectors = "None", customerIds = Array.Empty<int>(),
        validFrom = DateTime.UtcNow.Date, validUntil = DateTime.UtcNow.Date.AddYears(1), justification = "FedRAMP High package reviewed",
    };

    [Fact]
    public async Task A_requester_cannot_decide_their_own_request_and_a_second_administrator_can()
    {
        using var admin = app.As("admin-1", Roles.Administrator);
        var created = await admin.PostAsJsonAsync("/api/v1/approvals", Request(await ModelIdAsync(admin)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var approval = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Requested", approval.GetProperty("status").GetString());
        var id = approval.GetProperty("id").GetInt32();
        var version = approval.GetProperty("version").GetInt32();

        var own = await admin.PostAsJsonAsync($"/api/v1/approvals/{id}/decision", new { decision = "Approve", version });
        Assert.Equal(HttpStatusCode.BadRequest, own.StatusCode);
        Assert.Contains("four-eyes", (await own.Content.ReadAsStringAsync()), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Requested", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/approvals/{id}")).GetProperty("status").GetString());

        using var second = app.As("admin-2", Roles.Administrator);
        var decided = await second.PostAsJsonAsync($"/api/v1/approvals/{id}/decision", new { decision = "Approve", version });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var result = await decided.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Approved", "admin-2"), (result.GetProperty("status").GetString(), result.GetProperty("decidedBy").GetString()));
    }

    [Fact]
    public async Task Officers_request_but_only_administrators_decide_and_pipelines_do_neither()
    {
        using var officer = app.As("officer-1", Roles.ComplianceOfficer);
        var created = await officer.PostAsJsonAsync("/api/v1/approvals", Request(await ModelIdAsync(officer)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var approval = await created.Content.ReadFromJsonAsync<JsonElement>();
        var decision = new { decision = "Approve", version = approval.GetProperty("version").GetInt32() };

        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync($"/api/v1/approvals/{approval.GetProperty("id").GetInt32()}/decision", decision)).StatusCode);
        using var pipeline = app.As("pipeline-1", Roles.Pipeline);
        Assert.Equal(HttpStatusCode.Forbidden, (await pipeline.PostAsJsonAsync("/api/v1/approvals", Request(1))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pipeline.PostAsJsonAsync($"/api/v1/approvals/{approval.GetProperty("id").GetInt32()}/decision", decision)).StatusCode);
        using var customer = app.As("customer-acme", Roles.Customer);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/api/v1/approvals")).StatusCode);
    }

    [Fact]
    public async Task A_request_without_usages_is_refused_naming_the_field()
    {
        using var officer = app.As("officer-1", Roles.ComplianceOfficer);
        var bad = await officer.PostAsJsonAsync("/api/v1/approvals", new
        {
            modelId = await ModelIdAsync(officer), maxImpactLevel = "IL4", dataCategories = "Cui", usages = "None", sectors = "None",
            validFrom = DateTime.UtcNow.Date, justification = "x",
        });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("usage", problem.GetProperty("errors").GetProperty("usages")[0].GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_restriction_is_created_by_an_administrator_and_lifted_only_with_a_second_one()
    {
        using var officer = app.As("officer-1", Roles.ComplianceOfficer);
        var restriction = new
        {
            provider = "Mistral AI", sectors = "Defense", customerIds = Array.Empty<int>(), minImpactLevel = "IL2",
            effectiveFrom = DateTime.UtcNow, transitionDeadline = DateTime.UtcNow.AddDays(30), reason = "Vendor restricted for defense work",
        };
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync("/api/v1/restrictions", restriction)).StatusCode);

        using var admin = app.As("admin-1", Roles.Administrator);
        var created = await admin.PostAsJsonAsync("/api/v1/restrictions", restriction);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var listed = await officer.GetFromJsonAsync<JsonElement>("/api/v1/restrictions?inEffect=true&limit=1000");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetInt32() == id);

        var requested = await (await admin.PostAsJsonAsync($"/api/v1/restrictions/{id}/lift", new { reason = "Vendor cleared" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("admin-1", requested.GetProperty("liftRequestedBy").GetString());
        Assert.Equal(JsonValueKind.Null, requested.GetProperty("liftedAt").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/v1/restrictions/{id}/lift", new { reason = "again" })).StatusCode);

        using var second = app.As("admin-2", Roles.Administrator);
        var lifted = await second.PostAsJsonAsync($"/api/v1/restrictions/{id}/lift", new { reason = "Confirmed" });
        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
        Assert.Equal("admin-2", (await lifted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("liftedBy").GetString());
    }
}
