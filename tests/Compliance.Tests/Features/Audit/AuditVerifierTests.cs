using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Audit;

public abstract class AuditVerifierTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : AuditVerifierTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : AuditVerifierTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private AuditAnchorLog _anchors = null!;
    private AuditVerifier _verifier = null!;

    private string AnchorFile => Path.Combine(_database.Folder, "anchors", "audit-anchors.jsonl");

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _anchors = new AuditAnchorLog(AnchorFile, null, null, NullLogger<AuditAnchorLog>.Instance);
        _verifier = new AuditVerifier(_database.Factory, _anchors, _clock, NullLogger<AuditVerifier>.Instance);
        var runner = new CheckRunner(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance);
        await runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private AttestationService Attestations()
    {
        var options = Options.Create(new AttestationOptions { BaseUrl = "https://compliance.example.test", DataFolder = _database.Folder });
        var environment = new HostingEnvironment { EnvironmentName = "Development", ContentRootPath = _database.Folder };
        var certificates = new AttestationCertificateSource(options, _database.Options, environment);
        return new AttestationService(_database.Factory, new SnapshotBuilder(_database.Factory, Options.Create(new Compliance.Web.Features.Checks.Run.CheckOptions())),
            new Compliance.Web.Auth.CustomerScopes(_database.Factory, new Compliance.Web.Auth.OidcSettings()), certificates, options, TimeProvider.System,
            NullLogger<AttestationService>.Instance, _anchors);
    }

    [Fact]
    public async Task Verifying_an_untouched_trail_stores_an_intact_result_and_anchors_its_head_outside_the_database()
    {
        var stages = new List<string>();
        var result = await _verifier.VerifyAsync("auditor", new SyncProgress(stages.Add), CancellationToken.None);

        await using var db = _database.Create();
        var head = await db.AuditEvents.OrderByDescending(e => e.Id).FirstAsync();
        Assert.Equal(AuditVerificationStatus.Intact, result.Status);
        Assert.Null(result.Problems);
        Assert.Equal(await db.AuditEvents.CountAsync(), result.EventsChecked);
        Assert.Equal((head.Id, head.Hash), (result.HeadEventId, result.HeadHash));
        Assert.Contains(stages, s => s.StartsWith("Comparing", StringComparison.Ordinal));

        var stored = await db.AuditVerifications.AsNoTracking().SingleAsync();
        Assert.Equal(AuditVerificationStatus.Intact, stored.Status);
        Assert.NotNull(stored.FinishedAt);
        Assert.Equal(result.HeadEventId, stored.HeadEventId);

        var (anchors, unreadable) = await _anchors.ReadAsync();
        var anchor = Assert.Single(anchors);
        Assert.Empty(unreadable);
        Assert.Equal((head.Id, head.Hash, $"verification {stored.Id}"), (anchor.EventId, anchor.Hash, anchor.Reason));
    }

    [Fact]
    public async Task Cutting_the_newest_events_and_the_attestations_together_is_caught_by_the_anchor_file()
    {
        int customer;
        await using (var db = _database.Create())
        {
            customer = await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        }

        var issued = await Attestations().IssueAsync(customer, "officer", "Anchored outside.");
        var anchor = Assert.Single((await _anchors.ReadAsync()).Anchors);
        Assert.Equal($"attestation {issued.VerificationCode}", anchor.Reason);

        await using (var db = _database.Create())
        {
            var attestationEvent = await db.AuditEvents.Where(e => e.Entity == nameof(Attestation)).MinAsync(e => e.Id);
            Assert.True(anchor.EventId >= attestationEvent, "the anchor covers the attestation's own event");
            // Someone with write access to the database removes the attestation and every event from it on.
            await db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditEvents\" WHERE \"Id\" >= {attestationEvent}");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"Attestations\"");
            Assert.Null(await Compliance.Data.Audit.AuditTrail.VerifyAsync(db)); // the shorter chain is intact
            Assert.Empty(await AuditAnchors.FindBrokenAsync(db)); // and no attestation in the database anchors it
        }

        var result = await _verifier.VerifyAsync("auditor", null, CancellationToken.None);
        Assert.Equal(AuditVerificationStatus.ProblemsFound, result.Status);
        Assert.Equal(1, result.AnchorBreaks);
        Assert.Contains($"attestation {issued.VerificationCode}", result.Problems);
        Assert.Contains("deleted", result.Problems);
        Assert.Single((await _anchors.ReadAsync()).Anchors); // a cut chain's head is not anchored
    }

    [Fact]
    public async Task An_edited_line_of_the_anchor_file_is_reported()
    {
        await _verifier.VerifyAsync("auditor", null, CancellationToken.None);
        await File.AppendAllTextAsync(AnchorFile, "{\"eventId\": \"not a number\"\n");

        var result = await _verifier.VerifyAsync("auditor", null, CancellationToken.None);
        Assert.Equal(AuditVerificationStatus.ProblemsFound, result.Status);
        Assert.Contains("Line 2 of the anchor file", result.Problems);
    }

    [Fact]
    public async Task Attestation_downloads_are_recorded_on_the_trail()
    {
        int customer;
        await using (var db = _database.Create())
        {
            customer = await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
        }

        var service = Attestations();
        var issued = await service.IssueAsync(customer, "officer", null);
        await service.RecordDownloadAsync(issued.Id, "customer-acme", "pdf");

        await using var read = _database.Create();
        var ev = await read.AuditEvents.SingleAsync(e => e.Entity == nameof(AttestationDownload));
        Assert.Equal(("customer-acme", AuditAction.Insert), (ev.User, ev.Action));
        Assert.Contains("\"pdf\"", ev.After);
        Assert.Empty(await Compliance.Data.Audit.AuditTrail.FindDriftAsync(read));
    }

    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
