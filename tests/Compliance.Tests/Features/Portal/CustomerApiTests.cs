using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Features.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Portal;

/// <summary>The customer API with the real authentication: customer machine clients (HTTP Basic) and the pipeline's bearer token.</summary>
public sealed class CustomerApiTests(CustomerApiTests.Factory factory) : IClassFixture<CustomerApiTests.Factory>
{
    public sealed class Factory : ComplianceAppFactory
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["DemoData:Attestations"] = "true";
                return settings;
            }
        }
    }

    private ApiClientService Clients => factory.Services.GetRequiredService<ApiClientService>();

    private async Task<int> CustomerIdAsync(string code)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<Compliance.Data.ComplianceDb>>().CreateDbContextAsync();
        return await db.Customers.Where(c => c.Code == code).Select(c => c.Id).SingleAsync();
    }

    private async Task<(HttpClient Client, NewApiClient Created)> ClientForAsync(string code)
    {
        var http = factory.CreateClient();
        await http.GetAsync("/health"); // the host has started (and issued the demo attestations)
        var created = (await Clients.CreateAsync(People.Admin, await CustomerIdAsync(code), $"{code} GRC tool")).Value!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{created.Client.ClientId}:{created.Secret}")));
        return (http, created);
    }

    private async Task<List<AttestationRow>> AllAttestationsAsync() =>
        await factory.Services.GetRequiredService<AttestationService>().ListAsync(CustomerScope.Unrestricted);

    [Fact]
    public async Task Only_an_administrator_creates_a_customer_client_and_a_name_is_required()
    {
        using var _ = factory.CreateClient();
        var acme = await CustomerIdAsync("acme");

        Assert.True((await Clients.CreateAsync(People.Officer, acme, "x")).Forbidden);
        Assert.True((await Clients.CreateAsync(People.Customer("acme", Roles.Administrator), acme, "x")).Forbidden);
        Assert.Contains("name", (await Clients.CreateAsync(People.Admin, acme, " ")).ErrorsByField().Keys);
        Assert.Contains("customerId", (await Clients.CreateAsync(People.Admin, int.MaxValue, "tool")).ErrorsByField().Keys);
    }

    [Fact]
    public async Task A_customer_client_reads_its_own_attestations_snapshot_pdf_diff_and_posture()
    {
        var (http, created) = await ClientForAsync("acme");
        using var _ = http;
        var acmeId = await CustomerIdAsync("acme");
        await factory.Services.GetRequiredService<AttestationService>().IssueAsync(acmeId, "officer");
        var own = (await AllAttestationsAsync()).Where(r => r.CustomerCode == "acme").OrderByDescending(r => r.Id).ToList();

        using var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/attestations"));
        var items = list.RootElement.GetProperty("items").EnumerateArray().ToList();
        var snapshot = await http.GetAsync($"/api/v1/attestations/{own[0].Id}");
        var pdf = await http.GetByteArrayAsync($"/api/v1/attestations/{own[0].Id}/pdf");
        var diff = await http.GetAsync($"/api/v1/attestations/{own[1].Id}/diff/{own[0].Id}");
        using var posture = JsonDocument.Parse(await http.GetStringAsync("/api/v1/posture"));

        Assert.Equal(own.Select(r => r.Id), items.Select(i => i.GetProperty("id").GetInt32()));
        Assert.All(items, i => Assert.Equal("acme", i.GetProperty("customer").GetString()));
        Assert.Equal("current", items[0].GetProperty("standing").GetString());
        var stored = (await factory.Services.GetRequiredService<AttestationService>().GetFileAsync(own[0].Id, "json", CustomerScope.Unrestricted))!;
        Assert.Equal(stored.Content, await snapshot.Content.ReadAsByteArrayAsync());
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
        Assert.Equal(HttpStatusCode.OK, diff.StatusCode);
        Assert.Equal("acme", posture.RootElement.GetProperty("customerCode").GetString());
        var downloads = await factory.Services.GetRequiredService<AttestationService>().DownloadsAsync(People.Customer("acme"), own[0].Id);
        Assert.Contains(downloads.Value!, d => d.DownloadedBy == created.Client.ClientId && d.Format == "json");
        Assert.Contains(downloads.Value!, d => d.DownloadedBy == created.Client.ClientId && d.Format == "pdf");
        Assert.NotNull((await Clients.ListAsync()).Single(c => c.Id == created.Client.Id).LastUsedAt);
    }

    [Fact]
    public async Task Customer_a_client_gets_404_for_every_id_of_customer_b_on_every_route()
    {
        var (http, _) = await ClientForAsync("acme");
        using var __ = http;
        var all = await AllAttestationsAsync();
        var own = all.First(r => r.CustomerCode == "acme").Id;
        var others = all.Where(r => r.CustomerCode != "acme").Select(r => r.Id).ToList();
        Assert.True(others.Count >= 6);

        var refused = new List<string>();
        foreach (var id in others)
        {
            foreach (var route in new[]
                     {
                         $"/api/v1/attestations/{id}", $"/api/v1/attestations/{id}/pdf", $"/api/v1/attestations/{id}/diff/{own}",
                         $"/api/v1/attestations/{own}/diff/{id}", $"/attestations/{id}/pdf", $"/attestations/{id}/json",
                         $"/attestations/{id}/diff/{own}",
                     })
            {
                var response = await http.GetAsync(route);
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    refused.Add($"{route}: {(int)response.StatusCode}");
                }
            }
        }

        foreach (var code in new[] { "globex", "northwind" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/posture?customer={code}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/attestations?customer={code}")).StatusCode);
        }

        Assert.Empty(refused);
    }

    [Fact]
    public async Task A_revoked_client_is_refused_at_once_and_a_wrong_secret_never_gets_in()
    {
        var (http, created) = await ClientForAsync("globex");
        using var _ = http;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/attestations")).StatusCode);

        Assert.True((await Clients.RevokeAsync(People.Admin, created.Client.Id)).Succeeded);
        var afterRevoke = await http.GetAsync("/api/v1/attestations");

        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        using var wrong = factory.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{created.Client.ClientId}:not-the-secret")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/posture")).StatusCode);
        Assert.Equal("admin", (await Clients.ListAsync()).Single(c => c.Id == created.Client.Id).RevokedBy);
    }

    [Fact]
    public async Task A_customer_client_reaches_no_staff_route()
    {
        var (http, _) = await ClientForAsync("acme");
        using var __ = http;

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/bindings")).StatusCode);
    }

    [Fact]
    public async Task A_staff_token_reads_every_customer_and_must_name_one_for_the_posture()
    {
        using var http = await factory.CreateClient().AsPipelineAsync();

        using var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/attestations?limit=200"));
        var noCustomer = await http.GetAsync("/api/v1/posture");
        var globex = await http.GetAsync("/api/v1/posture?customer=globex");
        var badLimit = await http.GetAsync("/api/v1/attestations?limit=0");

        Assert.True(list.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("customer").GetString()).Distinct().Count() >= 6);
        Assert.Equal(HttpStatusCode.BadRequest, noCustomer.StatusCode);
        Assert.Contains("\"customer\"", await noCustomer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, globex.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Contains("\"limit\"", await badLimit.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Attestation_pages_walk_every_visible_attestation_once_newest_first()
    {
        using var http = await factory.CreateClient().AsPipelineAsync();
        var expected = (await AllAttestationsAsync()).Select(a => a.Id).OrderDescending().ToList();
        var seen = new List<int>();
        string? after = null;
        do
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/attestations?limit=3{(after is null ? "" : $"&after={after}")}"));
            seen.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()));
            after = page.RootElement.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.RootElement.GetProperty("next").GetInt64().ToString();
        }
        while (after is not null && seen.Count <= expected.Count);

        Assert.True(expected.Count > 3, "The demo attestations give more than one page.");
        Assert.Equal(expected, seen);
    }
}
