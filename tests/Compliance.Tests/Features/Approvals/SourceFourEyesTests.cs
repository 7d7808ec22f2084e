using System.Security.Cryptography;
using System.Text;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Auth;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Approvals;

/// <summary>
/// One administrator cannot bring an approval into force through an approval-list source by any path:
/// adding a source, changing it, re-enabling it, or accepting what it fetched. A second one can.
/// </summary>
public abstract class SourceFourEyesTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : SourceFourEyesTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : SourceFourEyesTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private ListServer _server = default!;
    private ServiceProvider _services = default!;
    private ApprovalListSourceService _sources = default!;
    private ApprovalListSyncJob _job = default!;
    private string _model = "", _otherModel = "";

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _server = await ListServer.StartAsync();
        // Syncs run when the test says so: the scheduler only records what it was asked.
        _services = SourceServices.Build<RecordingScheduler>(_database);
        _sources = _services.GetRequiredService<ApprovalListSourceService>();
        _job = _services.GetRequiredService<ApprovalListSyncJob>();
        await using var db = _database.Create();
        var unique = await db.Models.GroupBy(m => m.HostModelId).Where(g => g.Count() == 1).Select(g => g.Key).OrderBy(k => k).Take(2).ToListAsync();
        (_model, _otherModel) = (unique[0], unique[1]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    private sealed class RecordingScheduler : IApprovalListScheduler
    {
        public List<string> Calls { get; } = [];

        public void AddOrUpdate(int sourceId, string cron) => Calls.Add($"schedule {sourceId} {cron}");

        public void Remove(int sourceId) => Calls.Add($"remove {sourceId}");

        public void TriggerNow(int sourceId) => Calls.Add($"trigger {sourceId}");
    }

    private string Approval(string key, string model, string level = "IL4", string until = "2027-06-30") =>
        $$"""{ "key": "{{key}}", "hostModelId": "{{model}}", "maxImpactLevel": "{{level}}", "dataCategories": ["CUI"], "usages": ["Inference"], "sectors": ["Defense"], "validFrom": "2026-01-01", "validUntil": "{{until}}", "justification": "Board decision" }""";

    private static string List(params string[] approvals) =>
        $$"""{ "schemaVersion": 1, "publisher": "Board", "approvals": [{{string.Join(",", approvals)}}], "restrictions": [] }""";

    private ApprovalListSourceInput Input(string? url = null, string name = "Board", bool enabled = true, string? pin = null) =>
        new(name, ApprovalListFormat.Json, url ?? _server.ListUrl, null, "0 * * * *", enabled, pin);

    private async Task<ApprovalListSource> Source(int id)
    {
        await using var db = _database.Create();
        return await db.ApprovalListSources.AsNoTracking().SingleAsync(s => s.Id == id);
    }

    private async Task<int> ApprovedInForce()
    {
        await using var db = _database.Create();
        return await db.Approvals.CountAsync(a => a.SourceId != null && a.Status == ApprovalStatus.Approved);
    }

    /// <summary>A source requested by admin and approved by admin2, synced once, its first revision accepted by admin2.</summary>
    private async Task<int> ApprovedSourceWithEntries(params string[] approvals)
    {
        _server.Publish(List(approvals));
        var created = (await _sources.CreateAsync(People.Admin, Input())).Value!;
        Assert.True((await _sources.DecideAsync(People.Admin2, created.Id, Decision.Approve, null, created.Version)).Succeeded);
        var sync = await _job.SyncAsync(created.Id, CancellationToken.None);
        if (sync.RevisionId is { } revisionId)
        {
            var revision = await Revision(revisionId);
            Assert.True((await _sources.DecideRevisionAsync(People.Admin2, revisionId, Decision.Approve, null, revision.Version)).Succeeded);
        }

        return created.Id;
    }

    private async Task<ApprovalListRevision> Revision(long id)
    {
        await using var db = _database.Create();
        return await db.ApprovalListRevisions.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    [Fact]
    public async Task A_new_source_fetches_nothing_until_a_second_administrator_approves_it()
    {
        _server.Publish(List(Approval("A-1", _model, "IL6")));
        var created = await _sources.CreateAsync(People.Admin, Input());
        Assert.True(created.Succeeded, created.Message);
        Assert.Equal(SourceReview.Requested, created.Value!.Review);

        var sync = await _job.SyncAsync(created.Value.Id, CancellationToken.None);
        var selfApproval = await _sources.DecideAsync(People.Admin, created.Value.Id, Decision.Approve, null, created.Value.Version);

        Assert.Equal(SyncStatus.Failed, sync.Status);
        Assert.Contains("waits for a second administrator", sync.Error);
        Assert.Empty(_server.Requests);
        Assert.Equal("decider", Assert.Single(selfApproval.Errors).Field);
        Assert.Equal(SourceReview.Requested, (await Source(created.Value.Id)).Review);
        Assert.DoesNotContain(_services.GetRequiredService<RecordingScheduler>().Calls, c => c.StartsWith("trigger") || c.StartsWith("schedule"));

        var current = await Source(created.Value.Id);
        var approved = await _sources.DecideAsync(People.Admin2, created.Value.Id, Decision.Approve, null, current.Version);

        Assert.True(approved.Succeeded, approved.Message);
        Assert.Equal((SourceReview.Approved, "admin", "admin2"), (approved.Value!.Review, approved.Value.RequestedBy, approved.Value.ReviewedBy));
        Assert.Contains($"trigger {created.Value.Id}", _services.GetRequiredService<RecordingScheduler>().Calls);
    }

    [Fact]
    public async Task An_administrator_alone_cannot_put_a_listed_approval_in_force_but_a_second_one_can()
    {
        _server.Publish(List(Approval("A-1", _model, "IL6")));
        var created = (await _sources.CreateAsync(People.Admin, Input())).Value!;
        Assert.True((await _sources.DecideAsync(People.Admin2, created.Id, Decision.Approve, null, created.Version)).Succeeded);

        var sync = await _job.SyncAsync(created.Id, CancellationToken.None);
        var revision = await Revision(sync.RevisionId!.Value);
        var bySponsor = await _sources.DecideRevisionAsync(People.Admin, revision.Id, Decision.Approve, null, revision.Version);
        var byOfficer = await _sources.DecideRevisionAsync(People.Officer, revision.Id, Decision.Approve, null, revision.Version);

        Assert.Equal("decider", Assert.Single(bySponsor.Errors).Field);
        Assert.Equal("decider", Assert.Single(byOfficer.Errors).Field);
        Assert.Equal(0, await ApprovedInForce());

        var accepted = await _sources.DecideRevisionAsync(People.Named("admin3", "Third Admin", Roles.Administrator), revision.Id, Decision.Approve, "Matches the board's minutes", revision.Version);

        Assert.True(accepted.Succeeded, accepted.Message);
        Assert.Equal((RevisionStatus.Accepted, "admin3"), (accepted.Value!.Status, accepted.Value.DecidedBy));
        await using var db = _database.Create();
        var approval = await db.Approvals.SingleAsync(a => a.SourceId == created.Id);
        Assert.Equal((ApprovalStatus.Approved, ImpactLevel.IL6, "admin3", "source:Board"), (approval.Status, approval.MaxImpactLevel, approval.DecidedBy, approval.RequestedBy));
        var again = await _sources.DecideRevisionAsync(People.Admin2, revision.Id, Decision.Approve, null, revision.Version);
        Assert.Equal("version", Assert.Single(again.Errors).Field);
    }

    [Fact]
    public async Task Repointing_an_approved_source_is_a_request_and_the_old_address_stays_in_force_until_another_administrator_approves()
    {
        var id = await ApprovedSourceWithEntries(Approval("A-1", _model));
        await using var evil = await ListServer.StartAsync();
        evil.Publish(List(Approval("A-1", _model, "IL6"), Approval("A-2", _otherModel, "IL6")));
        var before = await Source(id);

        var change = await _sources.UpdateAsync(People.Admin2, id, Input(evil.ListUrl), before.Version);

        Assert.True(change.Succeeded, change.Message);
        var pending = await Source(id);
        Assert.Equal((_server.ListUrl, "admin2"), (pending.Url, pending.PendingRequestedBy));
        Assert.Equal(evil.ListUrl, SourceConfig.Parse(pending.PendingConfig)!.Url);
        await _job.SyncAsync(id, CancellationToken.None);
        Assert.Empty(evil.Requests);
        Assert.Equal("decider", Assert.Single((await _sources.DecideAsync(People.Admin2, id, Decision.Approve, null, pending.Version)).Errors).Field);

        var current = await Source(id);
        var approved = await _sources.DecideAsync(People.Admin, id, Decision.Approve, null, current.Version);

        Assert.True(approved.Succeeded, approved.Message);
        Assert.Equal((evil.ListUrl, "admin2", (string?)null), (approved.Value!.Url, approved.Value.RequestedBy, approved.Value.PendingConfig));
        // The new address's widening entries still wait for someone other than its sponsor (admin2).
        var sync = await _job.SyncAsync(id, CancellationToken.None);
        var revision = await Revision(sync.RevisionId!.Value);
        Assert.Equal("decider", Assert.Single((await _sources.DecideRevisionAsync(People.Admin2, revision.Id, Decision.Approve, null, revision.Version)).Errors).Field);
        Assert.Equal(1, await ApprovedInForce());
        await using var db = _database.Create();
        Assert.Equal(ImpactLevel.IL4, (await db.Approvals.SingleAsync(a => a.SourceEntryKey == "A-1")).MaxImpactLevel);
    }

    [Fact]
    public async Task Pausing_applies_at_once_and_re_enabling_is_a_request()
    {
        var id = await ApprovedSourceWithEntries(Approval("A-1", _model));

        var paused = await _sources.UpdateAsync(People.Admin, id, Input(enabled: false), (await Source(id)).Version);

        Assert.True(paused.Succeeded, paused.Message);
        Assert.Equal((false, (string?)null), ((await Source(id)).Enabled, (await Source(id)).PendingConfig));

        var resumed = await _sources.UpdateAsync(People.Admin, id, Input(enabled: true), (await Source(id)).Version);

        Assert.True(resumed.Succeeded, resumed.Message);
        var source = await Source(id);
        Assert.False(source.Enabled);
        Assert.True(SourceConfig.Parse(source.PendingConfig)!.Enabled);
        Assert.True((await _sources.DecideAsync(People.Admin2, id, Decision.Approve, null, source.Version)).Succeeded);
        Assert.True((await Source(id)).Enabled);
    }

    [Fact]
    public async Task A_narrowing_list_applies_at_once_and_a_widening_one_waits()
    {
        var id = await ApprovedSourceWithEntries(Approval("A-1", _model, "IL5"), Approval("A-2", _otherModel, "IL4"));

        // A-1 down to IL2 (narrows), A-2 gone (narrows): no second administrator needed.
        _server.Publish(List(Approval("A-1", _model, "IL2")));
        var narrowing = await _job.SyncAsync(id, CancellationToken.None);

        Assert.Null(narrowing.RevisionId);
        Assert.Equal((0, 1, 1), (narrowing.Added, narrowing.Changed, narrowing.Removed));
        await using (var db = _database.Create())
        {
            Assert.Equal(ImpactLevel.IL2, (await db.Approvals.SingleAsync(a => a.SourceEntryKey == "A-1")).MaxImpactLevel);
            Assert.Equal(ApprovalStatus.Revoked, (await db.Approvals.SingleAsync(a => a.SourceEntryKey == "A-2")).Status);
        }

        // Back up to IL6 and a later end: waits.
        _server.Publish(List(Approval("A-1", _model, "IL6", "2028-01-01")));
        var widening = await _job.SyncAsync(id, CancellationToken.None);

        Assert.NotNull(widening.RevisionId);
        Assert.Equal((0, 0, 0), (widening.Added, widening.Changed, widening.Removed));
        await using (var db = _database.Create())
        {
            Assert.Equal(ImpactLevel.IL2, (await db.Approvals.SingleAsync(a => a.SourceEntryKey == "A-1")).MaxImpactLevel);
        }
    }

    [Fact]
    public async Task A_newer_fetch_supersedes_a_pending_revision_so_only_the_latest_proposal_can_be_accepted()
    {
        var id = await ApprovedSourceWithEntries(Approval("A-1", _model, "IL2"));
        _server.Publish(List(Approval("A-1", _model, "IL5")));
        var first = await _job.SyncAsync(id, CancellationToken.None);
        _server.Publish(List(Approval("A-1", _model, "IL4")));
        var second = await _job.SyncAsync(id, CancellationToken.None);

        var old = await Revision(first.RevisionId!.Value);
        var stale = await _sources.DecideRevisionAsync(People.Admin2, old.Id, Decision.Approve, null, old.Version);

        Assert.Equal(RevisionStatus.Superseded, old.Status);
        Assert.Equal("version", Assert.Single(stale.Errors).Field);
        var latest = await Revision(second.RevisionId!.Value);
        Assert.True((await _sources.DecideRevisionAsync(People.Admin2, latest.Id, Decision.Approve, null, latest.Version)).Succeeded);
        await using var db = _database.Create();
        Assert.Equal(ImpactLevel.IL4, (await db.Approvals.SingleAsync(a => a.SourceEntryKey == "A-1")).MaxImpactLevel);
    }

    [Fact]
    public async Task A_rejected_revision_changes_nothing_and_the_same_list_is_not_proposed_again()
    {
        var id = await ApprovedSourceWithEntries(Approval("A-1", _model, "IL2"));
        _server.Publish(List(Approval("A-1", _model, "IL6")));
        var sync = await _job.SyncAsync(id, CancellationToken.None);
        var revision = await Revision(sync.RevisionId!.Value);

        var noReason = await _sources.DecideRevisionAsync(People.Admin2, revision.Id, Decision.Reject, " ", revision.Version);
        var rejected = await _sources.DecideRevisionAsync(People.Admin2, revision.Id, Decision.Reject, "IL6 was never on the board's agenda", revision.Version);

        Assert.Equal("reason", Assert.Single(noReason.Errors).Field);
        Assert.True(rejected.Succeeded, rejected.Message);
        Assert.Equal(SyncStatus.Unchanged, (await _job.SyncAsync(id, CancellationToken.None)).Status);
        await using var db = _database.Create();
        Assert.Equal(ImpactLevel.IL2, (await db.Approvals.SingleAsync(a => a.SourceEntryKey == "A-1")).MaxImpactLevel);
    }

    [Fact]
    public async Task An_entry_from_a_list_can_be_revoked_in_the_app_and_the_list_cannot_bring_it_back_alone()
    {
        var id = await ApprovedSourceWithEntries(Approval("A-1", _model));
        int approvalId;
        await using (var db = _database.Create())
        {
            approvalId = await db.Approvals.Where(a => a.SourceEntryKey == "A-1").Select(a => a.Id).SingleAsync();
        }

        var approvals = new ApprovalService(_database.Factory, new ApprovalEvents(), TimeProvider.System);
        var revoked = await approvals.RevokeAsync(People.Admin, approvalId, "Vendor breach");

        Assert.True(revoked.Succeeded, revoked.Message);
        // The list changes (a new entry), so it is fetched and applied again: the revoked entry is only proposed.
        _server.Publish(List(Approval("A-1", _model), Approval("A-2", _otherModel)));
        var sync = await _job.SyncAsync(id, CancellationToken.None);

        Assert.NotNull(sync.RevisionId);
        await using var after = _database.Create();
        Assert.Equal(ApprovalStatus.Revoked, (await after.Approvals.SingleAsync(a => a.Id == approvalId)).Status);
        Assert.Contains("A-1", SyncDiff.Parse((await Revision(sync.RevisionId!.Value)).Diff)!.Added.Select(d => d.Key));
    }

    [Fact]
    public async Task A_list_whose_hash_does_not_match_the_pin_is_refused_and_reported()
    {
        var content = List(Approval("A-1", _model));
        var pin = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        _server.Publish(content);
        var created = (await _sources.CreateAsync(People.Admin, Input(pin: pin.ToUpperInvariant()))).Value!;
        Assert.True((await _sources.DecideAsync(People.Admin2, created.Id, Decision.Approve, null, created.Version)).Succeeded);
        Assert.Equal(SyncStatus.Succeeded, (await _job.SyncAsync(created.Id, CancellationToken.None)).Status);

        _server.Publish(List(Approval("A-1", _model, "IL6")));
        var tampered = await _job.SyncAsync(created.Id, CancellationToken.None);

        Assert.Equal(SyncStatus.Failed, tampered.Status);
        Assert.Contains($"pinned to {pin}", tampered.Error);
        Assert.Equal(SyncStatus.Failed, (await Source(created.Id)).LastSyncStatus);
        await using var db = _database.Create();
        Assert.Equal(1, await db.ApprovalListRevisions.CountAsync(r => r.SourceId == created.Id));
    }

    [Theory]
    [InlineData("* * * * *", "schedule")]
    [InlineData("0-4 * * * *", "schedule")]
    [InlineData("*/1 * * * * *", "schedule")]
    [InlineData("*/5 * * * *", null)]
    public async Task Schedules_more_frequent_than_every_five_minutes_are_refused(string cron, string? field)
    {
        var outcome = await _sources.CreateAsync(People.Admin, Input() with { Schedule = cron });

        Assert.Equal(field, outcome.Errors.Select(e => e.Field).SingleOrDefault());
    }

    [Fact]
    public async Task An_address_with_credentials_is_refused_so_no_secret_reaches_the_trail()
    {
        var outcome = await _sources.CreateAsync(People.Admin, Input("https://reader:s3cret@lists.example.gov/a.json"));

        Assert.Equal("url", Assert.Single(outcome.Errors).Field);
        Assert.DoesNotContain("s3cret", outcome.Message);
        await using var db = _database.Create();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.After!.Contains("s3cret")));
    }

    [Fact]
    public async Task Two_administrators_with_one_display_name_stay_two_people_and_a_renamed_one_stays_one()
    {
        var alexA = People.Named("entra|0001", "Alex Smith", Roles.Administrator);
        var alexB = People.Named("entra|0002", "Alex Smith", Roles.Administrator);
        var alexARenamed = People.Named("entra|0001", "Alexandra Smith-Jones", Roles.Administrator);
        var created = (await _sources.CreateAsync(alexA, Input())).Value!;

        var byRenamedSelf = await _sources.DecideAsync(alexARenamed, created.Id, Decision.Approve, null, created.Version);
        var byNamesake = await _sources.DecideAsync(alexB, created.Id, Decision.Approve, null, created.Version);

        Assert.Equal("decider", Assert.Single(byRenamedSelf.Errors).Field);
        Assert.True(byNamesake.Succeeded, byNamesake.Message);
        Assert.Equal(("entra|0001", "entra|0002"), (byNamesake.Value!.RequestedBy, byNamesake.Value.ReviewedBy));
    }

    [Fact]
    public async Task A_customer_account_that_also_holds_the_administrator_role_decides_nothing()
    {
        var mixed = People.Customer("acme", Roles.Administrator);
        var created = (await _sources.CreateAsync(People.Admin, Input())).Value!;
        var restrictions = new RestrictionService(_database.Factory, new ApprovalEvents(), TimeProvider.System);
        await using var db0 = _database.Create();
        var restrictionId = await db0.Restrictions.Select(r => r.Id).FirstAsync();
        var approvals = new ApprovalService(_database.Factory, new ApprovalEvents(), TimeProvider.System);
        var requestedId = await db0.Approvals.Where(a => a.Status == ApprovalStatus.Requested).Select(a => a.Id).FirstAsync();

        Assert.Equal("by", Assert.Single((await _sources.CreateAsync(mixed, Input(name: "Mine"))).Errors).Field);
        Assert.Equal("decider", Assert.Single((await _sources.DecideAsync(mixed, created.Id, Decision.Approve, null, created.Version)).Errors).Field);
        Assert.Equal("by", Assert.Single((await restrictions.LiftAsync(mixed, restrictionId, "Mine")).Errors).Field);
        Assert.Equal("decider", Assert.Single((await approvals.DecideAsync(mixed, requestedId, Decision.Approve, null, 0)).Errors).Field);
        Assert.Equal(SourceReview.Requested, (await Source(created.Id)).Review);
    }

    [Fact]
    public async Task A_source_approved_by_a_direct_database_edit_is_reported_by_the_comparison_with_the_trail()
    {
        var created = (await _sources.CreateAsync(People.Admin, Input())).Value!;
        await using var db = _database.Create();
        Assert.DoesNotContain(await Compliance.Data.Audit.AuditTrail.FindDriftAsync(db), d => d.Entity == nameof(ApprovalListSource));

        await db.Database.ExecuteSqlRawAsync("UPDATE \"ApprovalListSources\" SET \"Review\" = 1, \"ReviewedBy\" = 'admin2' WHERE \"Id\" = {0}", created.Id);

        var drift = Assert.Single(await Compliance.Data.Audit.AuditTrail.FindDriftAsync(db), d => d.Entity == nameof(ApprovalListSource));
        Assert.Equal(created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), drift.Key);
        Assert.Contains("Review", drift.Why);
    }
}
