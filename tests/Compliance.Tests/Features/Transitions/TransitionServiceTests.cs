using System.Security.Claims;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Transitions;
using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Transitions;

public abstract class TransitionServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : TransitionServiceTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : TransitionServiceTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private readonly InventoryEvents _events = new();
    private CheckRunner _runner = null!;
    private ReferenceDataCache _cache = null!;
    private TransitionService _transitions = null!;

    private static readonly ClaimsPrincipal Officer = People.Officer;

    private static readonly ClaimsPrincipal Auditor = People.Auditor;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();

        var factory = _database.Factory;
        _runner = new CheckRunner(factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance);
        _cache = new ReferenceDataCache(factory, _clock);
        _transitions = new TransitionService(factory, _cache, new InventoryService(factory, _events, _clock), Options.Create(new CheckOptions()), _clock);
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    /// <summary>An open Restricted finding whose workload has at least one allowed alternative.</summary>
    private async Task<(Finding Finding, Restriction Restriction, IReadOnlyList<TransitionSuggestion> Suggestions)> RestrictedAsync(int skip = 0)
    {
        await using var db = _database.Create();
        var restriction = await db.Restrictions.AsNoTracking().SingleAsync();
        foreach (var finding in await db.Findings.AsNoTracking().Where(f => f.Rule == FindingRule.Restricted && f.Status == FindingStatus.Open).OrderBy(f => f.Id).ToListAsync())
        {
            var suggestions = await _transitions.SuggestAsync(finding.BindingId);
            if (suggestions.Count > 0 && skip-- == 0)
            {
                return (finding, restriction, suggestions);
            }
        }

        throw new InvalidOperationException("The demo data has no restricted binding with an allowed alternative.");
    }

    [Fact]
    public async Task Suggestions_are_models_the_rule_allows_for_that_workload_and_never_restricted_or_retired()
    {
        var (finding, restriction, suggestions) = await RestrictedAsync();

        await using var db = _database.Create();
        var b = await db.Bindings.AsNoTracking().Include(x => x.Workload!).ThenInclude(w => w.Customer).SingleAsync(x => x.Id == finding.BindingId);
        var facts = new BindingFacts(b.ModelId, b.Workload!.CustomerId, b.Workload.Customer!.Sector, b.Workload.ImpactLevel, b.Workload.DataCategories, b.Usage);
        var data = await _cache.GetAsync(CancellationToken.None);
        foreach (var s in suggestions)
        {
            var model = data.FindModel(s.ModelId)!;
            Assert.True(data.Evaluate(facts with { ModelId = s.ModelId }, _clock.UtcNow, new CheckOptions().ExpiringSoonWindow).Allowed, $"{model.DisplayName} is suggested but not allowed");
            Assert.False(BindingEvaluator.Names(restriction, model), $"{model.DisplayName} is restricted");
            Assert.NotEqual(ModelLifecycle.Retired, model.LifecycleAt(_clock.UtcNow));
            Assert.NotEqual(b.ModelId, s.ModelId);
            Assert.False(string.IsNullOrWhiteSpace(s.Why));
        }

        // Not deprecated ones first.
        Assert.Equal(suggestions.OrderBy(s => s.HasWarning).Select(s => s.ModelId), suggestions.Select(s => s.ModelId));
    }

    [Fact]
    public async Task A_target_date_after_the_deadline_is_refused_and_nothing_is_saved()
    {
        var (finding, restriction, suggestions) = await RestrictedAsync();

        var late = await _transitions.PlanAsync(finding.BindingId, restriction.Id, suggestions[0].ModelId, "officer", restriction.TransitionDeadline.AddDays(1), null, Officer);
        var past = await _transitions.PlanAsync(finding.BindingId, restriction.Id, suggestions[0].ModelId, "officer", _clock.UtcNow.AddDays(-1), null, Officer);

        Assert.Contains(late.Errors, e => e.Field == "targetDate" && e.Message.Contains("deadline"));
        Assert.Contains(past.Errors, e => e.Field == "targetDate" && e.Message.Contains("past"));
        await using var db = _database.Create();
        Assert.Equal(0, await db.TransitionPlans.CountAsync());
    }

    [Fact]
    public async Task A_target_model_the_rule_does_not_allow_is_refused()
    {
        var (finding, restriction, _) = await RestrictedAsync();
        await using var db = _database.Create();
        var restricted = await db.Models.Where(m => m.Provider == restriction.Provider).Select(m => m.Id).FirstAsync();

        var outcome = await _transitions.PlanAsync(finding.BindingId, restriction.Id, restricted, "officer", restriction.TransitionDeadline, null, Officer);

        Assert.Contains(outcome.Errors, e => e.Field == "targetModelId");
    }

    [Fact]
    public async Task Completing_a_plan_moves_the_binding_and_the_next_check_resolves_the_restricted_finding()
    {
        var (finding, restriction, suggestions) = await RestrictedAsync();
        var changes = new List<string>();
        _events.Changed += changes.Add;
        var plan = (await _transitions.PlanAsync(finding.BindingId, restriction.Id, suggestions[0].ModelId, "Dana", restriction.TransitionDeadline, "Move it", Officer)).Value!;
        var started = await _transitions.StartAsync(plan.Id, plan.Version, Officer);
        Assert.True(started.Succeeded);
        Assert.Equal(TransitionStatus.InProgress, started.Value!.Status);

        _clock.Advance(TimeSpan.FromMinutes(5));
        var done = await _transitions.CompleteAsync(plan.Id, started.Value.Version, Officer);

        Assert.True(done.Succeeded, string.Join(" ", done.Errors.Select(e => e.Message)));
        Assert.Equal("bindings", Assert.Single(changes)); // the inventory change asks for a check
        await using (var db = _database.Create())
        {
            var saved = await db.TransitionPlans.AsNoTracking().SingleAsync(p => p.Id == plan.Id);
            Assert.Equal(TransitionStatus.Done, saved.Status);
            Assert.Equal(_clock.UtcNow, saved.CompletedAt);
            var old = await db.Bindings.AsNoTracking().SingleAsync(b => b.Id == finding.BindingId);
            var moved = await db.Bindings.AsNoTracking().SingleAsync(b => b.Id == saved.NewBindingId);
            Assert.Equal(_clock.UtcNow, old.To);
            Assert.Equal(suggestions[0].ModelId, moved.ModelId);
            Assert.Equal(old.WorkloadId, moved.WorkloadId);
            Assert.Equal(old.Usage, moved.Usage);
            Assert.Null(moved.To);
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);

        await using (var db = _database.Create())
        {
            Assert.Equal(FindingStatus.Resolved, (await db.Findings.AsNoTracking().SingleAsync(f => f.Id == finding.Id)).Status);
            var newBindingId = (await db.TransitionPlans.AsNoTracking().SingleAsync(p => p.Id == plan.Id)).NewBindingId;
            Assert.False(await db.Findings.AnyAsync(f => f.BindingId == newBindingId && f.Status == FindingStatus.Open && f.Severity != Severity.Warning));
        }

        var affected = (await _transitions.AffectedAsync(restriction.Id)).Single(a => a.BindingId == finding.BindingId);
        Assert.Equal(TransitionStatus.Done, affected.PlanStatus);
        Assert.False(affected.Active);
    }

    [Fact]
    public async Task A_second_open_plan_for_the_same_binding_is_refused_until_the_first_is_cancelled()
    {
        var (finding, restriction, suggestions) = await RestrictedAsync();
        var first = await _transitions.PlanAsync(finding.BindingId, restriction.Id, suggestions[0].ModelId, "officer", restriction.TransitionDeadline, null, Officer);
        Assert.True(first.Succeeded);

        var second = await _transitions.PlanAsync(finding.BindingId, restriction.Id, suggestions[^1].ModelId, "officer", restriction.TransitionDeadline, null, Officer);
        Assert.Contains(second.Errors, e => e.Field == "bindingId" && e.Message.Contains("already has an open transition plan"));

        Assert.True((await _transitions.CancelAsync(first.Value!.Id, first.Value.Version, "Wrong target", Officer)).Succeeded);
        Assert.True((await _transitions.PlanAsync(finding.BindingId, restriction.Id, suggestions[^1].ModelId, "officer", restriction.TransitionDeadline, null, Officer)).Succeeded);
    }

    [Fact]
    public async Task A_change_based_on_a_stale_plan_is_refused_with_the_conflict_message()
    {
        var (finding, restriction, suggestions) = await RestrictedAsync();
        var plan = (await _transitions.PlanAsync(finding.BindingId, restriction.Id, suggestions[0].ModelId, "officer", restriction.TransitionDeadline, null, Officer)).Value!;
        var seenByBoth = plan.Version;

        Assert.True((await _transitions.StartAsync(plan.Id, seenByBoth, Officer)).Succeeded); // one officer starts it
        var cancel = await _transitions.CancelAsync(plan.Id, seenByBoth, null, Officer); // another, on the page loaded before
        var complete = await _transitions.CompleteAsync(plan.Id, seenByBoth, Officer);

        Assert.Equal(TransitionService.ConflictMessage, Assert.Single(cancel.Errors).Message);
        Assert.Equal(TransitionService.ConflictMessage, Assert.Single(complete.Errors).Message);
        await using var db = _database.Create();
        Assert.Equal(TransitionStatus.InProgress, (await db.TransitionPlans.SingleAsync()).Status);
        Assert.Null((await db.Bindings.SingleAsync(b => b.Id == finding.BindingId)).To);
    }

    [Fact]
    public async Task Planning_all_plans_every_affected_binding_with_its_first_suggestion_by_the_deadline()
    {
        await using var db = _database.Create();
        var restriction = await db.Restrictions.AsNoTracking().SingleAsync();
        var affected = await _transitions.AffectedAsync(restriction.Id);
        Assert.Equal(await db.Findings.CountAsync(f => f.Rule == FindingRule.Restricted && f.Status == FindingStatus.Open), affected.Count);
        var reports = new List<PlanAllProgress>();

        var result = await _transitions.PlanAllWithFirstSuggestionAsync(restriction.Id, Officer, new Progress(reports), CancellationToken.None);

        Assert.Equal(affected.Count, result.Total);
        Assert.Equal(result.Total, result.Planned + result.Skipped.Count);
        Assert.True(result.Planned > 0);
        Assert.Equal(result.Total, reports.Count);
        var plans = await db.TransitionPlans.AsNoTracking().ToListAsync();
        Assert.Equal(result.Planned, plans.Count);
        Assert.All(plans, p =>
        {
            Assert.Equal(restriction.TransitionDeadline.Date, p.TargetDate);
            Assert.Equal("officer", p.Owner);
            Assert.Equal(TransitionStatus.Planned, p.Status);
        });
        foreach (var p in plans.Take(5))
        {
            Assert.Equal((await _transitions.SuggestAsync(p.BindingId))[0].ModelId, p.TargetModelId);
        }
    }

    [Fact]
    public async Task Stopping_a_bulk_planning_keeps_the_plans_made_so_far_and_makes_no_more()
    {
        await using var db = _database.Create();
        var restriction = await db.Restrictions.AsNoTracking().SingleAsync();
        using var stop = new CancellationTokenSource();
        var progress = new StopAfter(3, stop);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _transitions.PlanAllWithFirstSuggestionAsync(restriction.Id, Officer, progress, stop.Token));

        Assert.Equal(3, progress.Reports);
        Assert.InRange(await db.TransitionPlans.CountAsync(), 1, 3);
    }

    [Fact]
    public async Task Only_a_compliance_officer_plans()
    {
        var (finding, restriction, suggestions) = await RestrictedAsync();

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            _transitions.PlanAsync(finding.BindingId, restriction.Id, suggestions[0].ModelId, "auditor", restriction.TransitionDeadline, null, Auditor));
    }

    private sealed class StopAfter(int reports, CancellationTokenSource stop) : IProgress<PlanAllProgress>
    {
        public int Reports { get; private set; }

        public void Report(PlanAllProgress value)
        {
            if (++Reports == reports)
            {
                stop.Cancel();
            }
        }
    }

    private sealed class Progress(List<PlanAllProgress> reports) : IProgress<PlanAllProgress>
    {
        public void Report(PlanAllProgress value) => reports.Add(value);
    }
}
