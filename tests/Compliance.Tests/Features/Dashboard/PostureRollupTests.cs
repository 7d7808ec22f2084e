using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Dashboard;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Dashboard;

/// <summary>The daily posture roll-up on each engine: its numbers against an independent count, one row per day, three years kept.</summary>
public abstract class PostureRollupTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : PostureRollupTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : PostureRollupTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private PostureRollup _rollup = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _rollup = new PostureRollup(_database.Factory, _clock, NullLogger<PostureRollup>.Instance);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private Task<CheckRun> RunCheckAsync() =>
        new CheckRunner(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);

    [Fact]
    public async Task The_roll_up_right_after_a_check_agrees_with_the_run()
    {
        var run = await RunCheckAsync();

        var rows = await _rollup.RollUpAsync();

        var all = rows[0];
        Assert.Equal(PostureDay.AllCustomers, all.CustomerId);
        Assert.Equal((run.BindingsEvaluated, run.CompliantBindings, run.OpenCritical, run.OpenHigh, run.OpenMedium, run.OpenWarnings, run.Id),
            (all.Bindings, all.Compliant, all.OpenCritical, all.OpenHigh, all.OpenMedium, all.OpenWarnings, all.CheckRunId!.Value));
        Assert.InRange(all.NotCompliant, 1, all.Bindings - 1);
    }

    [Fact]
    public async Task Each_customers_row_equals_an_independent_count_of_its_bindings_findings_and_plans()
    {
        await RunCheckAsync();
        await WaiveAndPlanOverdueAsync();

        var rows = await _rollup.RollUpAsync();

        await using var db = _database.Create();
        var now = _clock.UtcNow;
        var bindings = await db.Bindings.AsNoTracking().Where(b => b.From <= now && (b.To == null || b.To > now))
            .Select(b => new { b.Id, b.Workload!.CustomerId }).ToListAsync();
        var findings = (await db.Findings.AsNoTracking().Where(f => f.Status != FindingStatus.Resolved).ToListAsync())
            .Where(f => bindings.Any(b => b.Id == f.BindingId)).ToList();
        var plans = await db.TransitionPlans.AsNoTracking().Select(p => new { p.Status, p.TargetDate, p.Binding!.Workload!.CustomerId }).ToListAsync();
        var customers = await db.Customers.AsNoTracking().Select(c => c.Id).ToListAsync();
        Assert.Equal(customers.Count + 1, rows.Count);

        foreach (var customer in customers.Append(PostureDay.AllCustomers))
        {
            var mine = bindings.Where(b => customer == PostureDay.AllCustomers || b.CustomerId == customer).Select(b => b.Id).ToHashSet();
            var theirs = findings.Where(f => mine.Contains(f.BindingId)).ToList();
            var failing = theirs.Where(f => f.Status == FindingStatus.Open && f.Severity != Severity.Warning).Select(f => f.BindingId).ToHashSet();
            var waived = theirs.Where(f => f.Status == FindingStatus.Waived && f.Severity != Severity.Warning && !failing.Contains(f.BindingId))
                .Select(f => f.BindingId).ToHashSet();
            var row = Assert.Single(rows, r => r.CustomerId == customer);
            Assert.Equal(_clock.UtcNow.Date, row.Day);
            Assert.Equal(mine.Count, row.Bindings);
            Assert.Equal(failing.Count, row.NotCompliant);
            Assert.Equal(waived.Count, row.CompliantWithWaivers);
            Assert.Equal(mine.Count - failing.Count - waived.Count, row.Compliant);
            foreach (var (severity, count) in new[] { (Severity.Critical, row.OpenCritical), (Severity.High, row.OpenHigh),
                         (Severity.Medium, row.OpenMedium), (Severity.Low, row.OpenLow), (Severity.Warning, row.OpenWarnings) })
            {
                Assert.Equal(theirs.Count(f => f.Status == FindingStatus.Open && f.Severity == severity), count);
            }

            Assert.Equal(theirs.Count(f => f.Status == FindingStatus.Waived), row.WaivedFindings);
            Assert.Equal(plans.Count(p => (customer == PostureDay.AllCustomers || p.CustomerId == customer)
                && Compliance.Web.Features.Transitions.OverduePlans.IsOverdue(p.Status, p.TargetDate, now)), row.OverduePlans);
        }

        var all = rows[0];
        Assert.Equal(1, all.CompliantWithWaivers);
        Assert.Equal(1, all.OverduePlans);
        Assert.Equal(all.Bindings, rows.Skip(1).Sum(r => r.Bindings));
    }

    [Fact]
    public async Task Rolling_up_twice_a_day_keeps_one_row_per_customer_with_the_later_numbers()
    {
        await RunCheckAsync();
        var first = await _rollup.RollUpAsync();
        await WaiveAndPlanOverdueAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(first[0].Day, _clock.UtcNow.Date); // (a run at midnight's last second would roll into the next day)

        await _rollup.RollUpAsync();

        await using var db = _database.Create();
        var stored = await db.PostureDays.AsNoTracking().ToListAsync();
        Assert.Equal(first.Count, stored.Count);
        Assert.All(stored, r => Assert.Equal(first[0].Day, r.Day));
        var all = Assert.Single(stored, r => r.CustomerId == PostureDay.AllCustomers);
        Assert.Equal(_clock.UtcNow, all.ComputedAt);
        Assert.Equal((first[0].CompliantWithWaivers + 1, first[0].OverduePlans + 1), (all.CompliantWithWaivers, all.OverduePlans));
    }

    [Fact]
    public async Task The_next_day_adds_its_rows_beside_the_previous_days()
    {
        var today = await _rollup.RollUpAsync();
        _clock.Advance(TimeSpan.FromDays(1));

        await _rollup.RollUpAsync();

        await using var db = _database.Create();
        var days = await db.PostureDays.Where(d => d.CustomerId == PostureDay.AllCustomers).OrderBy(d => d.Day).Select(d => d.Day).ToListAsync();
        Assert.Equal([today[0].Day, today[0].Day.AddDays(1)], days);
    }

    [Fact]
    public async Task Retention_keeps_three_years_and_prunes_older_days()
    {
        var today = _clock.UtcNow.Date;
        await using (var db = _database.Create())
        {
            foreach (var age in new[] { 1, 365, PostureDay.RetentionDays, PostureDay.RetentionDays + 1, 2000 })
            {
                db.PostureDays.Add(new PostureDay { Day = today.AddDays(-age), CustomerId = PostureDay.AllCustomers, Bindings = age, ComputedAt = today.AddDays(-age) });
            }

            await db.SaveChangesAsync();
        }

        await _rollup.RollUpAsync();

        await using var check = _database.Create();
        var kept = await check.PostureDays.Where(d => d.CustomerId == PostureDay.AllCustomers).OrderByDescending(d => d.Day).Select(d => d.Day).ToListAsync();
        Assert.Equal([today, today.AddDays(-1), today.AddDays(-365), today.AddDays(-PostureDay.RetentionDays)], kept);
        Assert.True(today - today.AddDays(-PostureDay.RetentionDays) >= TimeSpan.FromDays(3 * 365 + 1), "three years, a leap day included");
    }

    [Fact]
    public async Task The_roll_up_writes_nothing_on_the_audit_trail()
    {
        await RunCheckAsync();
        await using var before = _database.Create();
        var events = await before.AuditEvents.CountAsync();

        await _rollup.RollUpAsync();
        await _rollup.RollUpAsync();

        await using var after = _database.Create();
        Assert.Equal(events, await after.AuditEvents.CountAsync());
        Assert.True(await after.PostureDays.AnyAsync());
    }

    /// <summary>Waives one open critical or high finding (on a binding with no other failing finding) and adds one overdue plan.</summary>
    private async Task WaiveAndPlanOverdueAsync()
    {
        await using var db = _database.Create("officer");
        var failing = await db.Findings.Where(f => f.Status == FindingStatus.Open && f.Severity != Severity.Warning)
            .GroupBy(f => f.BindingId).Where(g => g.Count() == 1).Select(g => g.Key).OrderBy(id => id).FirstAsync();
        var finding = await db.Findings.SingleAsync(f => f.BindingId == failing && f.Status == FindingStatus.Open && f.Severity != Severity.Warning);
        finding.Status = FindingStatus.Waived;
        var restricted = await db.Findings.Where(f => f.Rule == FindingRule.Restricted && f.Status == FindingStatus.Open && f.BindingId != failing)
            .OrderBy(f => f.Id).FirstAsync();
        var target = await db.Models.Where(m => m.Provider != "Anthropic").Select(m => m.Id).FirstAsync();
        db.TransitionPlans.Add(new TransitionPlan
        {
            BindingId = restricted.BindingId, RestrictionId = restricted.RestrictionId!.Value, TargetModelId = target, Owner = "officer",
            TargetDate = _clock.UtcNow.AddDays(-2), Status = TransitionStatus.Planned, CreatedBy = "officer", CreatedAt = _clock.UtcNow.AddDays(-10),
        });
        await db.SaveChangesAsync();
    }
}
