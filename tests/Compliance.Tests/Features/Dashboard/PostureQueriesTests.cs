using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Dashboard;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Dashboard;

/// <summary>The dashboard's aggregates against plain SQL and in-memory LINQ over the demo data after real check runs.</summary>
public sealed class PostureQueriesTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly TestClock _clock = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private Task<CheckRun> RunCheckAsync() =>
        new CheckRunner(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);

    [Fact]
    public async Task Before_any_check_there_is_no_latest_run()
    {
        await using var db = _database.Create();
        var posture = await PostureQueries.LoadAsync(db, _clock.UtcNow);

        Assert.Null(posture.Latest);
        Assert.Empty(posture.OpenBySeverity);
        var restriction = Assert.Single(posture.Restrictions); // in effect, nothing found yet
        Assert.Equal(0, restriction.AffectedWorkloads);
    }

    [Fact]
    public async Task The_posture_after_two_checks_equals_an_independent_computation()
    {
        await RunCheckAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));
        var run = await RunCheckAsync();
        int restrictionId;
        await using (var db = _database.Create("officer"))
        {
            var restriction = await db.Restrictions.SingleAsync();
            restrictionId = restriction.Id;
            // Two plans for affected bindings (one done), one cancelled (not counted), and an approval ending in 10 days.
            var affected = await db.Findings.Where(f => f.RestrictionId == restrictionId && f.Status == FindingStatus.Open)
                .OrderBy(f => f.Id).Select(f => f.BindingId).Take(3).ToListAsync();
            var target = await db.Models.Where(m => m.Provider != restriction.Provider).Select(m => m.Id).FirstAsync();
            var statuses = new[] { TransitionStatus.Planned, TransitionStatus.Done, TransitionStatus.Cancelled };
            for (var i = 0; i < 3; i++)
            {
                db.TransitionPlans.Add(new TransitionPlan
                {
                    BindingId = affected[i], RestrictionId = restrictionId, TargetModelId = target, Owner = "officer",
                    TargetDate = restriction.TransitionDeadline, Status = statuses[i], CreatedBy = "officer", CreatedAt = _clock.UtcNow,
                });
            }

            var model = await db.Models.Select(m => m.Id).FirstAsync();
            db.Approvals.Add(new Approval
            {
                ModelId = model, Status = ApprovalStatus.Approved, MaxImpactLevel = ImpactLevel.IL2, RequestedBy = "officer", DecidedBy = "admin",
                ValidFrom = _clock.UtcNow.AddDays(-100), ValidUntil = _clock.UtcNow.AddDays(10),
            });
            await db.SaveChangesAsync();
        }

        await using var check = _database.Create();
        var posture = await PostureQueries.LoadAsync(check, _clock.UtcNow);

        // Latest run and share.
        Assert.Equal(run.Id, posture.Latest!.Id);
        var now = _clock.UtcNow;
        var active = await check.Bindings.CountAsync(b => b.From <= now && (b.To == null || b.To > now));
        Assert.Equal(active, posture.Latest.BindingsEvaluated);
        Assert.Equal(run.CompliantBindings, posture.Latest.CompliantBindings);
        Assert.Equal((double)run.CompliantBindings / run.BindingsEvaluated, posture.Latest.Share, 6);
        Assert.InRange(posture.Latest.Share, 0.01, 0.99);

        // Open findings by severity, counted in memory.
        var open = await check.Findings.AsNoTracking().Where(f => f.Status == FindingStatus.Open).Select(f => f.Severity).ToListAsync();
        foreach (var severity in Enum.GetValues<Severity>())
        {
            Assert.Equal(open.Count(s => s == severity), posture.Open(severity));
        }

        // Affected workloads of the restriction, in SQL.
        var workloads = await check.Database.SqlQuery<int>($"""
            SELECT COUNT(DISTINCT b."WorkloadId") AS "Value" FROM "Findings" f JOIN "Bindings" b ON b."Id" = f."BindingId"
            WHERE f."Rule" = 1 AND f."Status" = 0 AND f."RestrictionId" = {restrictionId}
            """).SingleAsync();
        var impact = Assert.Single(posture.Restrictions);
        Assert.True(workloads > 1);
        Assert.Equal((restrictionId, workloads, 1, 1), (impact.Id, impact.AffectedWorkloads, impact.Planned, impact.Done));
        Assert.Equal(await check.Findings.CountAsync(f => f.RestrictionId == restrictionId && f.Status == FindingStatus.Open), impact.AffectedBindings);

        // Approvals ending within 30 days, filtered in memory.
        var approvals = await check.Approvals.AsNoTracking().ToListAsync();
        var expiring = approvals.Count(a => a.Status == ApprovalStatus.Approved && a.ValidUntil > now && a.ValidUntil <= now.AddDays(30));
        Assert.True(expiring >= 1);
        Assert.Equal(expiring, posture.ExpiringApprovals);
        Assert.Equal(Math.Min(5, expiring), posture.ExpiringSoonest.Count);
    }

    [Fact]
    public async Task A_lifted_restriction_is_not_in_effect()
    {
        await using (var db = _database.Create("admin"))
        {
            var restriction = await db.Restrictions.SingleAsync();
            restriction.LiftedAt = _clock.UtcNow.AddMinutes(-1);
            restriction.LiftedBy = "admin";
            restriction.LiftReason = "test";
            await db.SaveChangesAsync();
        }

        await using var check = _database.Create();
        Assert.Empty(await PostureQueries.RestrictionsInEffectAsync(check, _clock.UtcNow));
    }
}
