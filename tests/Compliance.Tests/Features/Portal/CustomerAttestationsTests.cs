using System.Net;
using System.Text.Json;
using Json.Schema;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Portal;

/// <summary>A customer's attestations page, the diff of two attestations, and the access log, on the real host.</summary>
public sealed class CustomerAttestationsTests(PortalPageTests.Factory factory) : IClassFixture<PortalPageTests.Factory>
{
    private AttestationService Service => factory.Services.GetRequiredService<AttestationService>();

    private Compliance.Data.ComplianceDb Db(string actor = "officer") =>
        factory.Services.GetRequiredService<IDbContextFactory<Compliance.Data.ComplianceDb>>().CreateDbContext().As(actor);

    private HttpClient Customer(string code)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(TestAuthentication.UserHeader, $"customer-{code}");
        client.DefaultRequestHeaders.Add(TestAuthentication.RoleHeader, Roles.Customer);
        client.DefaultRequestHeaders.Add(TestAuthentication.CustomerHeader, code);
        return client;
    }

    private async Task<AttestationRow> CurrentAsync(string code)
    {
        using var warm = Customer(code);
        await warm.GetAsync("/health");
        return (await Service.ListAsync(CustomerScope.Unrestricted)).First(r => r.CustomerCode == code && r.Status == AttestationStatus.Current);
    }

    [Fact]
    public async Task A_customer_sees_its_current_attestation_first_with_code_qr_issuer_and_evaluation_time()
    {
        var current = await CurrentAsync("acme");
        using var client = Customer("acme");

        var html = await client.GetStringAsync("/attestations");

        var card = html.IndexOf("data-testid=\"current-attestation\"", StringComparison.Ordinal);
        Assert.True(card >= 0 && card < html.IndexOf("History", StringComparison.Ordinal));
        Assert.Contains(current.VerificationCode, html);
        Assert.Contains($"QR code leading to /verify/{current.VerificationCode}", html);
        Assert.Contains("src=\"data:image/png;base64,", html);
        Assert.Contains("Evaluated at ", html);
        Assert.Contains($"/attestations/{current.Id}/pdf", html);
        Assert.Contains($"/attestations/{current.Id}/json", html);
    }

    [Fact]
    public async Task The_diff_of_two_attestations_names_bindings_added_removed_and_models_replaced_on_screen_and_as_json()
    {
        var before = await CurrentAsync("northwind");
        string replacedFrom, replacedTo, added, removed;
        await using (var db = Db())
        {
            var now = DateTime.UtcNow.AddSeconds(-2);
            var active = await db.Bindings.Include(b => b.Model).Where(b => b.Workload!.Customer!.Code == "northwind" && b.To == null)
                .OrderBy(b => b.Id).ToListAsync();
            var replaced = active[0];
            var gone = active.First(b => b.WorkloadId != replaced.WorkloadId);
            var spare = await db.Models.Where(m => m.Id != replaced.ModelId).OrderBy(m => m.Id).FirstAsync();
            var emptyWorkload = await db.Workloads.Where(w => w.Customer!.Code == "northwind" && w.Id != replaced.WorkloadId && w.Id != gone.WorkloadId)
                .OrderBy(w => w.Id).FirstAsync();
            replaced.To = now;
            gone.To = now;
            db.Bindings.Add(new Binding { ModelId = spare.Id, WorkloadId = replaced.WorkloadId, Usage = replaced.Usage, Purpose = replaced.Purpose, From = now });
            db.Bindings.Add(new Binding { ModelId = spare.Id, WorkloadId = emptyWorkload.Id, Usage = Usage.CodingAssistant, Purpose = "Reviews", From = now });
            await db.SaveChangesAsync();
            (replacedFrom, replacedTo, removed, added) = (replaced.Model!.HostModelId, spare.HostModelId, gone.Model!.HostModelId, emptyWorkload.Name);
        }

        var after = await Service.IssueAsync((await CurrentAsync("northwind")).CustomerId, "officer");
        using var client = Customer("northwind");

        using var json = JsonDocument.Parse(await client.GetStringAsync($"/attestations/{before.Id}/diff/{after.Id}"));
        var page = await client.GetStringAsync($"/attestations/diff/{before.Id}/{after.Id}");

        var d = json.RootElement;
        Assert.Equal(before.VerificationCode, d.GetProperty("from").GetProperty("verificationCode").GetString());
        var replacement = Assert.Single(d.GetProperty("modelsReplaced").EnumerateArray());
        Assert.Equal(replacedFrom, replacement.GetProperty("fromHostModelId").GetString());
        Assert.Equal(replacedTo, replacement.GetProperty("toHostModelId").GetString());
        Assert.Contains(d.GetProperty("removed").EnumerateArray(), b => b.GetProperty("hostModelId").GetString() == removed);
        Assert.Contains(d.GetProperty("added").EnumerateArray(), b => b.GetProperty("workload").GetString() == added);
        Assert.Contains("Models replaced", page);
        Assert.Contains("Bindings added", page);
        Assert.Contains("Bindings removed", page);
    }

    [Fact]
    public async Task Another_customers_attestations_cannot_be_diffed_or_read()
    {
        var acme = await CurrentAsync("acme");
        var globex = await CurrentAsync("globex");
        using var client = Customer("globex");

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/attestations/{acme.Id}/diff/{globex.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/attestations/{globex.Id}/diff/{acme.Id}")).StatusCode);
        Assert.Contains($"There is no attestation {acme.Id}", await client.GetStringAsync($"/attestations/diff/{acme.Id}/{globex.Id}"));
        using var staff = TestAuthentication.ClientAs(factory, "officer", Roles.ComplianceOfficer);
        var mixed = await staff.GetAsync($"/attestations/{acme.Id}/diff/{globex.Id}");
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.Contains("\"b\"", await mixed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_customer_reads_who_downloaded_its_attestation_and_each_download_is_on_the_audit_trail()
    {
        var acme = await CurrentAsync("acme");
        var globex = await CurrentAsync("globex");
        using var client = Customer("acme");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/attestations/{acme.Id}/pdf")).StatusCode);

        var log = await Service.DownloadsAsync(People.Customer("acme"), acme.Id);
        Assert.Contains(log.Value!, d => d.DownloadedBy == "customer-acme" && d.Format == "pdf");
        Assert.True((await Service.DownloadsAsync(People.Customer("acme"), globex.Id)).NotFound);
        await using var db = Db();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Entity == nameof(AttestationDownload) && e.User == "customer-acme"
            && e.Action == AuditAction.Insert && e.Reason == $"Attestation {acme.Id} downloaded as pdf"));
    }

    [Fact]
    public async Task A_customer_user_gets_404_for_every_attestation_id_of_another_customer_on_every_api_route()
    {
        var all = await Service.ListAsync(CustomerScope.Unrestricted);
        var own = all.First(r => r.CustomerCode == "globex").Id;
        using var client = Customer("globex");

        var leaks = new List<string>();
        foreach (var id in all.Where(r => r.CustomerCode != "globex").Select(r => r.Id))
        {
            foreach (var route in new[] { $"/api/v1/attestations/{id}", $"/api/v1/attestations/{id}/pdf", $"/api/v1/attestations/{id}/diff/{own}",
                         $"/api/v1/attestations/{own}/diff/{id}" })
            {
                if ((await client.GetAsync(route)).StatusCode != HttpStatusCode.NotFound)
                {
                    leaks.Add(route);
                }
            }
        }

        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/v1/attestations"));
        Assert.All(list.RootElement.GetProperty("items").EnumerateArray(), i => Assert.Equal("globex", i.GetProperty("customer").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/posture?customer=acme")).StatusCode);
        Assert.Empty(leaks);
    }

    [Fact]
    public async Task Every_issued_snapshot_validates_against_the_published_schema_which_the_app_serves()
    {
        await CurrentAsync("acme");
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Compliance.sln")))
        {
            root = root.Parent!;
        }

        var published = await File.ReadAllTextAsync(Path.Combine(root.FullName, "docs", "attestation.schema.json"));
        using var anonymous = factory.CreateClient();
        var served = await anonymous.GetStringAsync($"/schemas/attestation-v{AttestationSnapshot.CurrentSchemaVersion}.json");
        Assert.Equal(published.ReplaceLineEndings(), served.ReplaceLineEndings());
        var schema = JsonSchema.FromText(published, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

        await using var db = Db();
        var snapshots = await db.Attestations.AsNoTracking().Select(a => new { a.VerificationCode, a.SnapshotJson }).ToListAsync();
        Assert.True(snapshots.Count >= 7);
        foreach (var s in snapshots)
        {
            var result = schema.Evaluate(JsonDocument.Parse(s.SnapshotJson).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, s.VerificationCode + ": " + string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(5)));
        }
    }
}
