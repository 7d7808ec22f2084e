using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Approvals;

public abstract class ApprovalServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ApprovalServiceTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ApprovalServiceTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly ApprovalEvents _events = new();
    private readonly List<string> _changes = [];
    private ApprovalService _approvals = default!;
    private int _modelId;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _events.Changed += _changes.Add;
        _approvals = new ApprovalService(_database.Factory, _events, TimeProvider.System);
        await using var db = _database.Create();
        _modelId = await db.Models.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private ApprovalRequest Request(DateTime? from = null, DateTime? until = null, string justification = "Needed for the IL5 enclave pilot.") =>
        new(_modelId, ImpactLevel.IL5, DataCategories.CUI | DataCategories.PII, Usages.Inference, Sectors.Defense, [],
            from ?? DateTime.UtcNow.Date, until ?? DateTime.UtcNow.Date.AddDays(365), "Logged prompts", justification);

    private async Task<Approval> Requested(System.Security.Claims.ClaimsPrincipal by)
    {
        var outcome = await _approvals.RequestAsync(by, Request());
        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors));
        return outcome.Value!;
    }

    [Fact]
    public async Task A_request_is_recorded_as_requested_by_the_requester_with_the_justification_as_audit_reason()
    {
        var approval = await Requested(People.Officer);

        await using var db = _database.Create();
        var saved = await db.Approvals.SingleAsync(a => a.Id == approval.Id);
        Assert.Equal(ApprovalStatus.Requested, saved.Status);
        Assert.Equal("officer", saved.RequestedBy);
        var audit = await db.AuditEvents.SingleAsync(e => e.Entity == "Approval" && e.EntityKey == approval.Id.ToString());
        Assert.Equal(("officer", "Needed for the IL5 enclave pilot."), (audit.User, audit.Reason));
    }

    [Fact]
    public async Task The_requester_cannot_approve_their_own_request()
    {
        var approval = await Requested(People.Officer);
        var asOfficerAdmin = People.Person("officer", Compliance.Web.Auth.Roles.Administrator, Compliance.Web.Auth.Roles.ComplianceOfficer);

        var outcome = await _approvals.DecideAsync(asOfficerAdmin, approval.Id, Decision.Approve, null, approval.Version);

        Assert.Contains("four-eyes", Assert.Single(outcome.Errors).Message);
        Assert.Empty(_changes);
        await using var db = _database.Create();
        Assert.Equal(ApprovalStatus.Requested, (await db.Approvals.SingleAsync(a => a.Id == approval.Id)).Status);
    }

    [Fact]
    public async Task An_administrator_cannot_approve_their_own_request_either()
    {
        var approval = await Requested(People.Admin);

        var approve = await _approvals.DecideAsync(People.Admin, approval.Id, Decision.Approve, "fine", approval.Version);
        var reject = await _approvals.DecideAsync(People.Admin, approval.Id, Decision.Reject, "changed my mind", approval.Version);

        Assert.Contains("another administrator must decide", Assert.Single(approve.Errors).Message);
        Assert.Contains("four-eyes", Assert.Single(reject.Errors).Message);
        var byOther = await _approvals.DecideAsync(People.Admin2, approval.Id, Decision.Approve, "Reviewed the package.", approval.Version);
        Assert.True(byOther.Succeeded);
        Assert.Equal(("admin2", ApprovalStatus.Approved), (byOther.Value!.DecidedBy, byOther.Value.Status));
    }

    [Fact]
    public async Task Someone_who_is_not_an_administrator_cannot_decide()
    {
        var approval = await Requested(People.Admin);

        var byOfficer = await _approvals.DecideAsync(People.Officer, approval.Id, Decision.Approve, null, approval.Version);
        var byAuditor = await _approvals.DecideAsync(People.Auditor, approval.Id, Decision.Reject, "no", approval.Version);

        Assert.Equal("decider", Assert.Single(byOfficer.Errors).Field);
        Assert.Contains("Only an administrator", Assert.Single(byAuditor.Errors).Message);
    }

    [Fact]
    public async Task An_auditor_cannot_request_an_approval()
    {
        var outcome = await _approvals.RequestAsync(People.Auditor, Request());
        Assert.Equal("requester", Assert.Single(outcome.Errors).Field);
    }

    [Fact]
    public async Task Two_administrators_deciding_at_once_one_wins_and_the_other_is_told_who_did()
    {
        var approval = await Requested(People.Officer);

        // Both saw the same version; each decision uses its own context, as two circuits would.
        var results = await Task.WhenAll(
            Task.Run(() => _approvals.DecideAsync(People.Admin, approval.Id, Decision.Approve, "Reviewed.", approval.Version)),
            Task.Run(() => _approvals.DecideAsync(People.Admin2, approval.Id, Decision.Reject, "Not for IL5.", approval.Version)));

        var winner = Assert.Single(results, r => r.Succeeded).Value!;
        var loser = Assert.Single(results, r => !r.Succeeded);
        var conflict = Assert.Single(loser.Errors);
        Assert.Equal("version", conflict.Field);
        Assert.Contains($"decided by {winner.DecidedBy} at", conflict.Message);
        Assert.Contains("meanwhile", conflict.Message);
        await using var db = _database.Create();
        var saved = await db.Approvals.SingleAsync(a => a.Id == approval.Id);
        Assert.Equal((winner.DecidedBy, winner.Status, approval.Version + 1), (saved.DecidedBy, saved.Status, saved.Version));
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Entity == "Approval" && e.EntityKey == approval.Id.ToString()));
    }

    [Fact]
    public async Task A_decision_on_a_version_that_is_no_longer_current_is_a_conflict_naming_the_winner()
    {
        var approval = await Requested(People.Officer);
        Assert.True((await _approvals.DecideAsync(People.Admin, approval.Id, Decision.Approve, "ok", approval.Version)).Succeeded);

        var late = await _approvals.DecideAsync(People.Admin2, approval.Id, Decision.Reject, "no", approval.Version);

        Assert.Matches(@"^This request was decided by admin at \d{4}-\d\d-\d\d \d\d:\d\d UTC meanwhile \(Approved\)", Assert.Single(late.Errors).Message);
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_and_revoking_needs_a_reason()
    {
        var approval = await Requested(People.Officer);
        Assert.Equal("reason", Assert.Single((await _approvals.DecideAsync(People.Admin, approval.Id, Decision.Reject, " ", approval.Version)).Errors).Field);
        var approved = (await _approvals.DecideAsync(People.Admin, approval.Id, Decision.Approve, null, approval.Version)).Value!;

        var noReason = await _approvals.RevokeAsync(People.Admin2, approval.Id, "");
        Assert.Equal("reason", Assert.Single(noReason.Errors).Field);
        var byOfficer = await _approvals.RevokeAsync(People.Officer, approval.Id, "vendor incident");
        Assert.Equal("decider", Assert.Single(byOfficer.Errors).Field);

        var revoked = await _approvals.RevokeAsync(People.Admin2, approval.Id, "Vendor incident 2026-11");
        Assert.True(revoked.Succeeded);
        Assert.Equal(["approvals", "approvals"], _changes); // the approval, then the revocation
        await using var db = _database.Create();
        var last = await db.AuditEvents.Where(e => e.Entity == "Approval" && e.EntityKey == approval.Id.ToString()).OrderBy(e => e.Id).LastAsync();
        Assert.Equal(("admin2", "Vendor incident 2026-11"), (last.User, last.Reason));
        Assert.Equal(ApprovalStatus.Revoked, (await db.Approvals.SingleAsync(a => a.Id == approved.Id)).Status);
    }

    [Fact]
    public async Task Requests_are_validated_and_every_problem_is_named()
    {
        var bad = Request(from: new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc), until: new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc), justification: " ")
            with { ModelId = 999_999, MaxImpactLevel = (ImpactLevel)3 };

        var outcome = await _approvals.RequestAsync(People.Officer, bad);

        Assert.Equal(["maxImpactLevel", "validUntil", "justification", "modelId"], outcome.Errors.Select(e => e.Field));
        await using var db = _database.Create();
        Assert.False(await db.Approvals.AnyAsync(a => a.ModelId == 999_999));
    }

    [Fact]
    public async Task The_expiry_job_expires_approved_approvals_whose_validity_ended_and_nothing_else()
    {
        var now = DateTime.UtcNow;
        var lapsed = (await _approvals.RequestAsync(People.Officer, Request(from: now.AddDays(-30), until: now.AddDays(-1)))).Value!;
        Assert.True((await _approvals.DecideAsync(People.Admin, lapsed.Id, Decision.Approve, null, lapsed.Version)).Succeeded);
        var pending = (await _approvals.RequestAsync(People.Officer, Request(from: now.AddDays(-30), until: now.AddDays(-1)))).Value!;
        var current = (await _approvals.RequestAsync(People.Officer, Request())).Value!;
        Assert.True((await _approvals.DecideAsync(People.Admin, current.Id, Decision.Approve, null, current.Version)).Succeeded);

        var expired = await _approvals.ExpireDueAsync(now);

        await using var db = _database.Create();
        Assert.Equal(ApprovalStatus.Expired, (await db.Approvals.SingleAsync(a => a.Id == lapsed.Id)).Status);
        Assert.Equal(ApprovalStatus.Requested, (await db.Approvals.SingleAsync(a => a.Id == pending.Id)).Status);
        Assert.Equal(ApprovalStatus.Approved, (await db.Approvals.SingleAsync(a => a.Id == current.Id)).Status);
        Assert.Equal(expired, await db.AuditEvents.CountAsync(e => e.User == ApprovalService.ExpiryActor));
        Assert.True(expired >= 2, "the demo inventory's lapsed approval expires too");
        Assert.Equal(0, await _approvals.ExpireDueAsync(now)); // idempotent
    }

    [Fact]
    public async Task An_approval_from_a_list_cannot_be_decided_here_but_can_be_revoked()
    {
        int id;
        await using (var db = _database.Create("setup"))
        {
            var source = new ApprovalListSource { Name = "Enterprise AI board", CreatedBy = "admin", UploadedContent = [1] };
            db.ApprovalListSources.Add(source);
            await db.SaveChangesAsync();
            var a = new Approval { ModelId = _modelId, Status = ApprovalStatus.Approved, RequestedBy = "source:Enterprise AI board", SourceId = source.Id, SourceEntryKey = "k1", ValidFrom = DateTime.UtcNow };
            db.Approvals.Add(a);
            await db.SaveChangesAsync();
            id = a.Id;
        }

        var decide = await _approvals.DecideAsync(People.Admin, id, Decision.Reject, "because", 0);
        var revoke = await _approvals.RevokeAsync(People.Admin, id, "Vendor breach");

        Assert.Equal("This approval comes from list 'Enterprise AI board'; change it there.", Assert.Single(decide.Errors).Message);
        Assert.True(revoke.Succeeded, revoke.Message);
        Assert.Equal((ApprovalStatus.Revoked, "admin"), (revoke.Value!.Status, revoke.Value.DecidedBy));
    }

    [Fact]
    public async Task Renewing_an_approval_requests_a_new_one_prefilled_from_it_that_a_second_administrator_decides()
    {
        var old = await Requested(People.Officer);
        Assert.True((await _approvals.DecideAsync(People.Admin, old.Id, Decision.Approve, null, old.Version)).Succeeded);
        await using (var db0 = _database.Create())
        {
            old = await db0.Approvals.AsNoTracking().SingleAsync(a => a.Id == old.Id);
        }

        var draft = ApprovalService.RenewalOf(old, DateTime.UtcNow.Date);
        Assert.Equal((old.ValidUntil!.Value, (DateTime?)old.ValidUntil.Value.AddDays(365)), (draft.ValidFrom, draft.ValidUntil));
        var renewal = await _approvals.RenewAsync(People.Admin, old.Id, draft);
        Assert.True(renewal.Succeeded, renewal.Message);
        Assert.Equal((ApprovalStatus.Requested, old.Id, old.MaxImpactLevel, old.DataCategories, old.Usages), (renewal.Value!.Status, renewal.Value.RenewalOfId, renewal.Value.MaxImpactLevel, renewal.Value.DataCategories, renewal.Value.Usages));

        Assert.Contains("four-eyes", (await _approvals.DecideAsync(People.Admin, renewal.Value.Id, Decision.Approve, null, renewal.Value.Version)).Message);
        Assert.True((await _approvals.DecideAsync(People.Admin2, renewal.Value.Id, Decision.Approve, null, renewal.Value.Version)).Succeeded);
    }

    [Fact]
    public async Task Only_an_approved_or_expired_approval_is_renewed_and_for_its_own_model()
    {
        var pending = await Requested(People.Officer);
        var draft = ApprovalService.RenewalOf(pending, DateTime.UtcNow.Date);

        Assert.Equal("id", Assert.Single((await _approvals.RenewAsync(People.Admin, pending.Id, draft)).Errors).Field);
        Assert.True((await _approvals.RenewAsync(People.Admin, 424242, draft)).NotFound);
        Assert.True((await _approvals.DecideAsync(People.Admin, pending.Id, Decision.Approve, null, pending.Version)).Succeeded);
        Assert.Equal("modelId", Assert.Single((await _approvals.RenewAsync(People.Admin, pending.Id, draft with { ModelId = _modelId + 1 })).Errors).Field);
    }
}
