using System.Text;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Notifications;
using Compliance.Web.Features.Transitions;
using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Transitions;

/// <summary>Many plans completed at once (all or nothing), a CSV of moves, and overdue plans flagged and announced once.</summary>
public abstract class TransitionBulkTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : TransitionBulkTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : TransitionBulkTests(DatabaseProvider.PostgreSql);

    /// <summary>The webhook boundary: what would have been queued for delivery.</summary>
    private sealed class RecordingPublisher : INotificationPublisher
    {
        public List<NotificationEvent> Published { get; } = [];

        public NotificationEvent? Publish(string eventType, object payload)
        {
            var notification = NotificationEvent.Create(eventType, DateTime.UtcNow, payload);
            return Publish(notification) == 1 ? notification : null;
        }

        public int Publish(NotificationEvent notification)
        {
            Published.Add(notification);
            return 1;
        }
    }

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private TransitionService _transitions = null!;
    private List<TransitionPlan> _plans = [];

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        var factory = _database.Factory;
        await new CheckRunner(factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance).RunAsync(CheckTrigger.Manual, CancellationToken.None);
        _transitions = new TransitionService(factory, new ReferenceDataCache(factory, _clock), new InventoryService(factory, new InventoryEvents(), _clock),
            Options.Create(new CheckOptions()), _clock);
        await using var db = _database.Create();
        var restriction = await db.Restrictions.AsNoTracking().SingleAsync();
        await _transitions.PlanAllWithFirstSuggestionAsync(restriction.Id, People.Officer, null, CancellationToken.None);
        _plans = await db.TransitionPlans.AsNoTracking().OrderBy(p => p.Id).Take(3).ToListAsync();
        Assert.Equal(3, _plans.Count);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private async Task<Dictionary<int, TransitionStatus>> StatusesAsync()
    {
        await using var db = _database.Create();
        var ids = _plans.Select(p => p.Id).ToList();
        return await db.TransitionPlans.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Status);
    }

    [Fact]
    public async Task Completing_several_plans_with_one_bad_row_completes_none_and_names_the_row()
    {
        var moves = _plans.Select(p => new PlanMove($"plan {p.Id}", p.Id)).Append(new PlanMove("row 9", 999_999)).ToList();

        var outcome = await _transitions.CompleteManyAsync(moves, People.Officer);

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("row 9: plan_id", error.Field);
        Assert.All((await StatusesAsync()).Values, s => Assert.NotEqual(TransitionStatus.Done, s));
        await using var db = _database.Create();
        Assert.Equal(0, await db.Bindings.CountAsync(b => _plans.Select(p => p.BindingId).Contains(b.Id) && b.To != null));
    }

    [Fact]
    public async Task Completing_the_selected_plans_moves_every_binding_in_one_go()
    {
        var outcome = await _transitions.CompleteManyAsync([.. _plans.Select(p => new PlanMove($"plan {p.Id}", p.Id))], People.Officer);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.All((await StatusesAsync()).Values, s => Assert.Equal(TransitionStatus.Done, s));
        await using var db = _database.Create();
        foreach (var plan in _plans)
        {
            var done = await db.TransitionPlans.AsNoTracking().SingleAsync(p => p.Id == plan.Id);
            var moved = await db.Bindings.AsNoTracking().SingleAsync(b => b.Id == done.NewBindingId);
            Assert.Equal(plan.TargetModelId, moved.ModelId);
        }

        Assert.Equal("plan " + _plans[0].Id + ": plan_id",
            (await _transitions.CompleteManyAsync([new PlanMove("plan " + _plans[0].Id, _plans[0].Id)], People.Officer)).Errors[0].Field);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _transitions.CompleteManyAsync([new PlanMove("x", 1)], People.Auditor));
    }

    [Fact]
    public async Task A_csv_of_moves_completes_its_plans_and_a_broken_one_names_row_and_column()
    {
        var yesterday = _clock.UtcNow.Date.AddDays(-1).ToString("yyyy-MM-dd");
        var csv = $"plan_id,moved_on\n{_plans[0].Id},\n{_plans[1].Id},{yesterday}\n";
        var (moves, errors) = TransitionMovesCsv.Read(Encoding.UTF8.GetBytes(csv), "moves.csv");
        Assert.Empty(errors);
        Assert.Equal([("row 2", _plans[0].Id), ("row 3", _plans[1].Id)], moves.Select(m => (m.Where, m.PlanId)));

        var (_, broken) = TransitionMovesCsv.Read(Encoding.UTF8.GetBytes("plan_id,moved_on\nseven,\n12,31/12/2026\n"), "moves.csv");
        Assert.Equal(["row 2: plan_id", "row 3: moved_on"], broken.Select(e => e.Field));
        var (_, headless) = TransitionMovesCsv.Read(Encoding.UTF8.GetBytes("id\n12\n"), "moves.csv");
        Assert.Contains("plan_id", Assert.Single(headless).Message);

        var outcome = await _transitions.CompleteManyAsync([.. moves.Select(m => m with { MovedOn = null })], People.Officer);
        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(2, (await StatusesAsync()).Values.Count(s => s == TransitionStatus.Done));
    }

    [Fact]
    public async Task Overdue_plans_are_announced_once_each_and_marked_on_the_trail()
    {
        var publisher = new RecordingPublisher();
        var overdue = new OverduePlans(_database.Factory, publisher, _clock, NullLogger<OverduePlans>.Instance);
        Assert.Empty(await overdue.NotifyAsync(CancellationToken.None)); // target dates are the deadline, still ahead

        await using (var db = _database.Create("officer"))
        {
            var late = await db.TransitionPlans.SingleAsync(p => p.Id == _plans[0].Id);
            late.TargetDate = _clock.UtcNow.AddDays(-2);
            await db.SaveChangesAsync();
        }

        var first = await overdue.NotifyAsync(CancellationToken.None);
        var again = await overdue.NotifyAsync(CancellationToken.None);

        var published = Assert.Single(first);
        Assert.Equal(NotificationEvent.TransitionPlanOverdue, published.Type);
        Assert.Equal(_plans[0].Id, ((TransitionPlanOverdue)published.Data).PlanId);
        Assert.Equal(2, ((TransitionPlanOverdue)published.Data).DaysOverdue);
        Assert.Empty(again);
        await using var check = _database.Create();
        Assert.NotNull((await check.TransitionPlans.SingleAsync(p => p.Id == _plans[0].Id)).OverdueNotifiedAt);
        Assert.True(await check.AuditEvents.AnyAsync(e => e.Entity == nameof(TransitionPlan) && e.User == OverduePlans.Actor));
        Assert.Equal(1, await OverduePlans.Of(check, _clock.UtcNow).CountAsync());
    }
}
