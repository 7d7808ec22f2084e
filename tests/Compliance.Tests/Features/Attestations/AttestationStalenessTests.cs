using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Attestations;

/// <summary>
/// Each test issues a fresh attestation for one customer, changes what it rests on, runs the staleness comparison the
/// check job enqueues, and reads what the attestation now says about itself.
/// </summary>
public sealed class AttestationStalenessTests(AttestationFixture fixture) : IClassFixture<AttestationFixture>
{
    private AttestationStaleness Staleness() => new(new AttestationFixture.Factory(fixture.Database),
        new SnapshotBuilder(new AttestationFixture.Factory(fixture.Database), Microsoft.Extensions.Options.Options.Create(new CheckOptions())),
        TimeProvider.System, NullLogger<AttestationStaleness>.Instance);

    private async Task<(AttestationRow Row, AttestationSnapshot Snapshot)> IssueAsync(string customerCode)
    {
        int customerId;
        await using (var db = fixture.Database.Create())
        {
            customerId = await db.Customers.Where(c => c.Code == customerCode).Select(c => c.Id).SingleAsync();
        }

        var row = await fixture.Service.IssueAsync(customerId, "officer");
        var json = await fixture.Service.GetFileAsync(row.Id, "json", CustomerScope.Unrestricted);
        return (row, AttestationSnapshot.FromJson(System.Text.Encoding.UTF8.GetString(json!.Content)));
    }

    private async Task<AttestationVerification> AfterRunAsync(AttestationRow row)
    {
        await Staleness().RunAsync(CancellationToken.None);
        return (await fixture.Service.VerifyAsync(row.VerificationCode))!;
    }

    private static SnapshotBinding FirstCompliant(AttestationSnapshot s) =>
        s.Workloads.SelectMany(w => w.Bindings).First(b => b.Status == AttestationResult.Compliant && b.Findings.Count == 0);

    [Fact]
    public async Task An_unchanged_inventory_leaves_the_attestation_current()
    {
        var (row, _) = await IssueAsync("tailspin");

        var v = await AfterRunAsync(row);

        Assert.Null(v.StaleSince);
        Assert.Equal("current", v.Standing.Headline);
    }

    [Fact]
    public async Task A_restriction_taking_effect_makes_the_attestation_stale_and_says_so()
    {
        var (row, snapshot) = await IssueAsync("northwind");
        var binding = FirstCompliant(snapshot);
        await using (var db = fixture.Database.Create("admin"))
        {
            db.Restrictions.Add(new Restriction
            {
                ModelId = binding.Model.Id, CustomerIds = [row.CustomerId], EffectiveFrom = DateTime.UtcNow.AddMinutes(-1),
                TransitionDeadline = DateTime.UtcNow.AddDays(30), Reason = "Contract directive", CreatedBy = "admin", CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var v = await AfterRunAsync(row);

        Assert.NotNull(v.StaleSince);
        Assert.Contains($"a restriction took effect for {binding.Model.HostModelId}", v.StaleReason);
        Assert.StartsWith("stale since", v.Standing.Headline);
        Assert.Contains("because a restriction took effect", v.Standing.Detail);
    }

    [Fact]
    public async Task A_revoked_approval_that_a_binding_relied_on_makes_the_attestation_stale()
    {
        var (row, snapshot) = await IssueAsync("globex");
        var binding = FirstCompliant(snapshot);
        await using (var db = fixture.Database.Create("admin2"))
        {
            foreach (var approval in await db.Approvals.Where(a => a.ModelId == binding.Model.Id && a.Status == ApprovalStatus.Approved).ToListAsync())
            {
                approval.Status = ApprovalStatus.Revoked;
            }

            await db.SaveChangesAsync();
        }

        var v = await AfterRunAsync(row);

        Assert.Contains($"the approval {binding.Model.HostModelId} on", v.StaleReason);
        Assert.Contains("ended or was revoked", v.StaleReason);
    }

    [Fact]
    public async Task A_completed_transition_makes_the_attestation_stale_as_a_model_replaced()
    {
        var (row, snapshot) = await IssueAsync("acme");
        var plan = snapshot.TransitionPlans.First(p => p.Status != TransitionStatus.Done);
        await using (var db = fixture.Database.Create("officer"))
        {
            var now = DateTime.UtcNow.AddSeconds(-1);
            var old = await db.Bindings.SingleAsync(b => b.Id == plan.BindingId);
            old.To = now;
            var moved = new Binding { ModelId = (await db.TransitionPlans.SingleAsync(p => p.Id == plan.Id)).TargetModelId, WorkloadId = old.WorkloadId,
                Usage = old.Usage, Purpose = old.Purpose, From = now };
            db.Bindings.Add(moved);
            await db.SaveChangesAsync();
            var done = await db.TransitionPlans.SingleAsync(p => p.Id == plan.Id);
            done.Status = TransitionStatus.Done;
            done.NewBindingId = moved.Id;
            done.CompletedAt = now;
            await db.SaveChangesAsync();
        }

        var v = await AfterRunAsync(row);

        Assert.Contains($"a transition was completed: {plan.Workload} moved from {plan.FromHostModelId} to {plan.TargetHostModelId}", v.StaleReason);
    }

    [Fact]
    public async Task A_binding_added_or_ended_makes_the_attestation_stale()
    {
        var (added, addedSnapshot) = await IssueAsync("contoso");
        var (ended, endedSnapshot) = await IssueAsync("fabrikam");
        var workload = addedSnapshot.Workloads.First(w => w.Bindings.Count > 0);
        var endedBinding = FirstCompliant(endedSnapshot);
        string newModel;
        await using (var db = fixture.Database.Create("officer"))
        {
            var used = workload.Bindings.Select(b => b.Model.Id).ToList();
            var model = await db.Models.Where(m => !used.Contains(m.Id)).OrderBy(m => m.Id).FirstAsync();
            newModel = model.HostModelId;
            db.Bindings.Add(new Binding { ModelId = model.Id, WorkloadId = workload.Id, Usage = Usage.Agent, Purpose = "Triage", From = DateTime.UtcNow.AddSeconds(-1) });
            (await db.Bindings.SingleAsync(b => b.Id == endedBinding.Id)).To = DateTime.UtcNow.AddSeconds(-1);
            await db.SaveChangesAsync();
        }

        await Staleness().RunAsync(CancellationToken.None);

        var a = (await fixture.Service.VerifyAsync(added.VerificationCode))!;
        var e = (await fixture.Service.VerifyAsync(ended.VerificationCode))!;
        Assert.Contains($"a binding was added: {workload.Name} uses {newModel}", a.StaleReason);
        Assert.Contains($"a binding ended:", e.StaleReason);
        Assert.Contains($"no longer uses {endedBinding.Model.HostModelId}", e.StaleReason);
    }

    [Fact]
    public async Task A_revoked_waiver_changes_a_status_and_makes_the_attestation_stale()
    {
        var (row, snapshot) = await IssueAsync("acme");
        var waived = snapshot.Workloads.SelectMany(w => w.Bindings).Single(b => b.Id == fixture.WaivedBindingId);
        Assert.Equal(AttestationResult.CompliantWithWaivers, waived.Status);
        await using (var db = fixture.Database.Create("officer"))
        {
            foreach (var w in await db.Waivers.Where(w => w.Finding!.BindingId == fixture.WaivedBindingId && w.RevokedAt == null).ToListAsync())
            {
                w.RevokedAt = DateTime.UtcNow.AddSeconds(-1);
                w.RevokedBy = "officer";
            }

            await db.SaveChangesAsync();
        }

        var v = await AfterRunAsync(row);

        Assert.Contains($"the status of {waived.Model.HostModelId} on", v.StaleReason);
        Assert.Contains("changed from compliant with waivers to not compliant", v.StaleReason);
    }

    [Fact]
    public async Task Staff_re_issue_every_stale_customer_in_one_action_and_the_old_ones_read_superseded()
    {
        var (row, snapshot) = await IssueAsync("initech");
        var endedId = snapshot.Workloads.SelectMany(w => w.Bindings).First().Id;
        await using (var db = fixture.Database.Create("officer"))
        {
            (await db.Bindings.SingleAsync(b => b.Id == endedId)).To = DateTime.UtcNow.AddSeconds(-1);
            await db.SaveChangesAsync();
        }

        await Staleness().RunAsync(CancellationToken.None);
        var reports = new List<ReissueProgress>();

        Assert.True((await fixture.Service.ReissueStaleAsync(People.Customer("initech", Roles.ComplianceOfficer))).Forbidden);
        var outcome = await fixture.Service.ReissueStaleAsync(People.Officer, new SyncProgress(reports));

        Assert.True(outcome.Value!.Done >= 1);
        Assert.Empty(outcome.Value.Failed);
        Assert.Equal(outcome.Value.Total, reports[^1].Done);
        var rows = await fixture.Service.ListAsync(CustomerScope.Unrestricted);
        Assert.DoesNotContain(rows, r => r.Status == AttestationStatus.Current && r.StaleSince is not null);
        var old = (await fixture.Service.VerifyAsync(row.VerificationCode))!;
        Assert.Equal(AttestationStatus.Superseded, old.Status);
        Assert.StartsWith("valid, but superseded on ", old.Standing.Headline);
        Assert.NotNull(old.SupersededAt);
        var next = rows.Single(r => r.CustomerId == row.CustomerId && r.Status == AttestationStatus.Current);
        Assert.Equal("officer", next.IssuedBy);
        Assert.Contains(next.VerificationCode, old.Standing.Detail);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, so its last report may come after the await).</summary>
    private sealed class SyncProgress(List<ReissueProgress> reports) : IProgress<ReissueProgress>
    {
        public void Report(ReissueProgress value) => reports.Add(value);
    }
}
