using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Auth;

/// <summary>
/// Staff machine clients held by the app, through the real authentication (HTTP Basic): administrators create and
/// revoke them, each scope opens one group of the API, a missing one is named, and a client never decides an approval.
/// </summary>
public sealed class MachineClientTests(ComplianceAppFactory factory) : IClassFixture<ComplianceAppFactory>
{
    private ApiClientService Clients => factory.Services.GetRequiredService<ApiClientService>();

    private async Task<ComplianceDb> DbAsync() =>
        await factory.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();

    private async Task<(HttpClient Http, NewApiClient Created)> ClientWithAsync(ClaimsPrincipal owner, params string[] scopes)
    {
        var http = factory.CreateClient();
        await http.GetAsync("/health"); // the host has started
        var created = await Clients.CreateMachineClientAsync(owner, $"pipeline with {string.Join(" ", scopes)}", scopes);
        Assert.True(created.Succeeded, created.Message);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{created.Value!.Client.ClientId}:{created.Value.Secret}")));
        return (http, created.Value);
    }

    private static async Task<string?> MissingScopeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(problem.RootElement.GetProperty("scope").GetString()!, problem.RootElement.GetProperty("detail").GetString());
        return problem.RootElement.GetProperty("scope").GetString();
    }

    [Fact]
    public async Task Only_an_administrator_creates_a_machine_client_and_its_name_and_known_scopes_are_required()
    {
        using var _ = factory.CreateClient();

        Assert.True((await Clients.CreateMachineClientAsync(People.Officer, "x", [ApiScopes.Read])).Forbidden);
        Assert.True((await Clients.CreateMachineClientAsync(People.Customer("acme", Roles.Administrator), "x", [ApiScopes.Read])).Forbidden);
        Assert.True((await Clients.CreateMachineClientAsync(People.Pipeline, "x", [ApiScopes.Read])).Forbidden);
        Assert.Contains("name", (await Clients.CreateMachineClientAsync(People.Admin, " ", [ApiScopes.Read])).ErrorsByField().Keys);
        var none = await Clients.CreateMachineClientAsync(People.Admin, "gate", []);
        var unknown = await Clients.CreateMachineClientAsync(People.Admin, "gate", [ApiScopes.Read, "approve"]);

        Assert.Contains("at least one scope", none.ErrorsByField()["scopes"]);
        Assert.Contains("'approve' is not a scope", unknown.ErrorsByField()["scopes"]);
        Assert.True((await Clients.RevokeAsync(People.Officer, 1)).Forbidden);
    }

    [Fact]
    public async Task Each_scope_opens_its_routes_and_a_missing_scope_gets_403_naming_it()
    {
        var (reader, _) = await ClientWithAsync(People.Admin, ApiScopes.Read);
        var (decider, _) = await ClientWithAsync(People.Admin, ApiScopes.Decide);
        var (writer, _) = await ClientWithAsync(People.Admin, ApiScopes.InventoryWrite);
        using var r = reader;
        using var d = decider;
        using var w = writer;
        const string decision = "/api/v1/decisions?model=1&workload=1";
        static StringContent Csv() => new("name,customer,impactLevel\n", Encoding.UTF8, "text/csv");

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/findings")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/attestations")).StatusCode);
        Assert.Equal(ApiScopes.Decide, await MissingScopeAsync(await reader.GetAsync(decision)));
        Assert.Equal(ApiScopes.InventoryWrite, await MissingScopeAsync(await reader.PostAsync("/api/v1/import/workloads.csv", Csv())));

        Assert.NotEqual(HttpStatusCode.Forbidden, (await decider.GetAsync(decision)).StatusCode);
        Assert.Equal(ApiScopes.Read, await MissingScopeAsync(await decider.GetAsync("/api/v1/findings")));
        Assert.Equal(ApiScopes.Read, await MissingScopeAsync(await decider.GetAsync("/api/v1/attestations")));

        Assert.NotEqual(HttpStatusCode.Forbidden, (await writer.PostAsync("/api/v1/import/workloads.csv", Csv())).StatusCode);
        Assert.Equal(ApiScopes.Read, await MissingScopeAsync(await writer.GetAsync("/api/v1/bindings")));
        Assert.Equal(ApiScopes.Decide, await MissingScopeAsync(await writer.PostAsync("/api/v1/decisions", JsonContent.Create(new { questions = Array.Empty<object>() }))));
    }

    [Fact]
    public async Task A_machine_client_reaches_no_staff_only_route_whatever_its_scopes()
    {
        var (http, _) = await ClientWithAsync(People.Admin, ApiScopes.All);
        using var _ = http;

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/audit/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync("/api/v1/restrictions", JsonContent.Create(new { }))).StatusCode);
    }

    [Fact]
    public async Task A_revoked_client_is_refused_on_its_next_request_and_its_last_use_create_and_revoke_are_recorded()
    {
        var (http, created) = await ClientWithAsync(People.Admin, ApiScopes.Read);
        using var _ = http;
        Assert.Null(created.Client.LastUsedAt);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/bindings?limit=1")).StatusCode);
        var used = (await Clients.ListAsync(customers: false)).Single(c => c.Id == created.Client.Id);
        Assert.NotNull(used.LastUsedAt);
        Assert.DoesNotContain(await Clients.ListAsync(customers: true), c => c.Id == created.Client.Id);

        Assert.True((await Clients.RevokeAsync(People.Admin2, created.Client.Id)).Succeeded);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/bindings?limit=1")).StatusCode);

        await using var db = await DbAsync();
        var trail = await db.AuditEvents.Where(e => e.Entity == nameof(ApiClient) && e.EntityKey == created.Client.Id.ToString()).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([("admin", AuditAction.Insert), ("admin2", AuditAction.Update)], trail.Select(e => (e.User, e.Action)));
        Assert.Contains("scopes read", trail[0].Reason);
        Assert.Contains("revoked", trail[1].Reason);
        Assert.Equal(("admin", "admin2"), (used.CreatedBy, (await Clients.ListAsync(customers: false)).Single(c => c.Id == created.Client.Id).RevokedBy));
    }

    /// <summary>
    /// The attack: an administrator requests an approval, creates a machine client with every scope, and has it approve
    /// the request. Refused: a machine client never decides an approval, by policy on the route and in the service.
    /// </summary>
    [Fact]
    public async Task An_administrator_cannot_approve_their_own_request_through_a_machine_client_they_created()
    {
        var (http, created) = await ClientWithAsync(People.Admin, ApiScopes.All);
        using var _ = http;
        var approvals = factory.Services.GetRequiredService<ApprovalService>();
        int modelId;
        await using (var db = await DbAsync())
        {
            modelId = await db.Models.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        }

        var requested = await approvals.RequestAsync(People.Admin, new ApprovalRequest(modelId, ImpactLevel.IL2, DataCategories.None, Usages.Inference,
            Sectors.None, [], DateTime.UtcNow, null, null, "An attack test"));
        Assert.True(requested.Succeeded, requested.Message);

        var viaApi = await http.PostAsync($"/api/v1/approvals/{requested.Value!.Id}/decision",
            JsonContent.Create(new { decision = "Approve", version = requested.Value.Version }));
        // Even a principal that somehow carried the Administrator role beside the client's identity is refused by the service.
        var forged = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", created.Client.ClientId), new Claim(ApiScopes.OwnerClaimType, "admin"), new Claim("role", Roles.Administrator),
             new Claim("role", Roles.Pipeline)], ApiClientAuthentication.SchemeName, "name", "role"));
        var viaService = await approvals.DecideAsync(forged, requested.Value.Id, Decision.Approve, null, requested.Value.Version);
        var viaRequest = await http.PostAsync("/api/v1/approvals", JsonContent.Create(new { modelId, maxImpactLevel = "IL2", justification = "x" }));

        Assert.Equal(HttpStatusCode.Forbidden, viaApi.StatusCode);
        Assert.False(viaService.Succeeded);
        Assert.Contains("decider", viaService.ErrorsByField().Keys);
        Assert.Equal(HttpStatusCode.Forbidden, viaRequest.StatusCode);
        await using var after = await DbAsync();
        Assert.Equal(ApprovalStatus.Requested, (await after.Approvals.SingleAsync(a => a.Id == requested.Value.Id)).Status);
    }

    [Fact]
    public async Task The_configured_pipeline_token_keeps_every_api_scope()
    {
        using var http = await factory.CreateClient().AsPipelineAsync();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/findings")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/decisions?model=1&workload=1")).StatusCode);
    }
}
