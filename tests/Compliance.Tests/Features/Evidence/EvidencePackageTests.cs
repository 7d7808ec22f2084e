using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Audit;
using Compliance.Web.Features.Transitions;
using Compliance.Web.Features.Evidence;
using Compliance.Web.Features.Inventory;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Features.Findings;

namespace Compliance.Tests.Features.Evidence;

/// <summary>The evidence package: what it holds, that it verifies offline, who may have it, and that building it is on the trail.</summary>
public sealed class EvidencePackageTests(EvidencePackageTests.Factory factory) : IClassFixture<EvidencePackageTests.Factory>, IAsyncLifetime
{
    public sealed class Factory : ComplianceAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(TestAuthentication.Use);
        }
    }

    private readonly TestDatabase _database = new();
    private readonly TestClock _clock = new();
    private readonly string _anchorFile = Path.Combine(Directory.CreateTempSubdirectory("anchors-").FullName, "anchors.log");
    private EvidencePackageService _service = null!;
    private int _customerId;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        var f = _database.Factory;
        await new CheckRunner(f, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance).RunAsync(CheckTrigger.Manual, CancellationToken.None);
        var transitions = new TransitionService(f, new ReferenceDataCache(f, _clock), new InventoryService(f, new InventoryEvents(), _clock), Options.Create(new CheckOptions()), _clock);
        await using var db = _database.Create();
        var restriction = await db.Restrictions.AsNoTracking().SingleAsync();
        await transitions.PlanAllWithFirstSuggestionAsync(restriction.Id, People.Officer, null, CancellationToken.None);
        var unapproved = await db.Findings.AsNoTracking().FirstAsync(x => x.Rule == FindingRule.Unapproved && x.Status == FindingStatus.Open);
        await new WaiverService(f, _clock).GrantAsync(People.Officer, unapproved.Id, "Accreditation under review.", _clock.UtcNow.AddDays(10), CancellationToken.None);
        _customerId = await db.Bindings.Where(b => b.Id == unapproved.BindingId).Select(b => b.CustomerId).SingleAsync();

        var anchors = new AuditAnchorLog(_anchorFile, null, null, NullLogger<AuditAnchorLog>.Instance);
        var head = await db.AuditEvents.OrderByDescending(e => e.Id).FirstAsync();
        await anchors.AppendAsync(new AuditAnchor(_clock.UtcNow, head.Id, head.Hash, "test"));
        _service = new EvidencePackageService(f, anchors, _clock);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private async Task<(ZipArchive Zip, EvidencePackage Package)> BuildAsync(int? customerId)
    {
        var buffer = new MemoryStream();
        var outcome = await _service.BuildAsync(People.Auditor, new EvidenceScope(customerId, _clock.UtcNow.Date.AddDays(-30), _clock.UtcNow.Date.AddDays(1)), buffer);
        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray())), outcome.Value!.Sha256);
        return (new ZipArchive(buffer, ZipArchiveMode.Read), outcome.Value);
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task The_whole_inventory_package_holds_every_file_and_each_matches_its_manifest_hash()
    {
        var (zip, _) = await BuildAsync(null);

        Assert.Equal(["audit-trail.jsonl", "chain-proof.json", "controls.md", "findings.csv", "manifest.json", "poam.csv", "README.md", "transition-plans.csv", "waivers.csv"],
            zip.Entries.Select(e => e.FullName).Order(StringComparer.OrdinalIgnoreCase));
        using var manifest = JsonDocument.Parse(Read(zip, "manifest.json"));
        foreach (var file in manifest.RootElement.GetProperty("files").EnumerateArray())
        {
            using var entry = zip.GetEntry(file.GetProperty("name").GetString()!)!.Open();
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(entry)));
        }

        foreach (var control in new[] { "CM-8", "SA-9", "SR-3", "CA-5", "AU-9", "Govern", "Map", "Measure", "Manage" })
        {
            Assert.Contains(control, Read(zip, "controls.md"));
        }
    }

    [Fact]
    public async Task The_audit_slice_chains_from_the_proofs_first_hash_to_its_last_and_carries_the_anchor()
    {
        var (zip, _) = await BuildAsync(null);

        var lines = Read(zip, "audit-trail.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        using var proof = JsonDocument.Parse(Read(zip, "chain-proof.json"));
        var p = proof.RootElement;
        Assert.True(lines.Count > 10);
        Assert.Equal(lines.Count, p.GetProperty("events").GetInt64());
        Assert.Equal(p.GetProperty("firstPreviousHash").GetString(), lines[0].GetProperty("previousHash").GetString());
        Assert.Equal(p.GetProperty("lastHash").GetString(), lines[^1].GetProperty("hash").GetString());
        for (var i = 1; i < lines.Count; i++)
        {
            Assert.Equal(lines[i - 1].GetProperty("hash").GetString(), lines[i].GetProperty("previousHash").GetString());
        }

        var anchor = Assert.Single(p.GetProperty("anchors").EnumerateArray());
        Assert.Contains(lines, l => l.GetProperty("hash").GetString() == anchor.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task A_customer_package_holds_only_that_customers_rows_and_a_poam_line_per_open_finding_with_its_plan_or_waiver()
    {
        var (zip, package) = await BuildAsync(_customerId);

        await using var db = _database.Create();
        var name = await db.Customers.Where(c => c.Id == _customerId).Select(c => c.Name).SingleAsync();
        var findings = Read(zip, "findings.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.Equal(await db.Findings.CountAsync(f => f.Binding!.CustomerId == _customerId), findings.Length);
        Assert.All(findings, row => Assert.Contains(name, row));
        var poam = Read(zip, "poam.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.Equal(await db.Findings.CountAsync(f => f.Binding!.CustomerId == _customerId && f.Status != FindingStatus.Resolved && f.Severity != Severity.Warning), poam.Length);
        Assert.Contains(poam, row => row.Contains("Accepted by waiver until") && row.Contains(",Waived,"));
        Assert.Single(Read(zip, "waivers.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]);

        var recorded = await db.EvidencePackages.SingleAsync(e => e.Id == package.Id);
        Assert.Equal(("auditor", _customerId), (recorded.BuiltBy, recorded.CustomerId));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Entity == nameof(EvidencePackage) && e.EntityKey == package.Id.ToString() && e.User == "auditor"));
    }

    [Fact]
    public async Task Only_officers_and_auditors_download_it_and_bad_input_is_named()
    {
        using var officer = TestAuthentication.ClientAs(factory, "evidence-officer", Roles.ComplianceOfficer);
        var today = DateTime.UtcNow.Date;
        var query = $"from={today.AddDays(-7):yyyy-MM-dd}&until={today.AddDays(1):yyyy-MM-dd}";

        var ok = await officer.GetAsync($"/evidence/package?{query}");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("application/zip", ok.Content.Headers.ContentType?.MediaType);
        using (var zip = new ZipArchive(await ok.Content.ReadAsStreamAsync()))
        {
            Assert.NotNull(zip.GetEntry("poam.csv"));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/evidence/package?customer=424242&{query}")).StatusCode);
        var bad = await officer.GetAsync($"/evidence/package?from={today:yyyy-MM-dd}&until={today.AddDays(-1):yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Contains("until", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.GetAsync("/evidence/package?from=yesterday")).StatusCode);

        foreach (var roles in new[] { new[] { Roles.Administrator }, [Roles.Customer], [Roles.Customer, Roles.Auditor] })
        {
            using var refused = TestAuthentication.ClientAs(factory, "evidence-other", roles);
            Assert.Equal(HttpStatusCode.Forbidden, (await refused.GetAsync($"/evidence/package?{query}")).StatusCode);
        }
    }
}
