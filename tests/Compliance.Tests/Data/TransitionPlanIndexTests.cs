using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Data;

/// <summary>The database itself keeps one open transition plan per binding, whatever the app checks first.</summary>
public abstract class TransitionPlanIndexTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : TransitionPlanIndexTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : TransitionPlanIndexTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_second_open_plan_for_a_binding_is_refused_but_a_done_one_may_stand_beside_it()
    {
        await using var db = _database.Create("officer");
        var binding = await db.Bindings.FirstAsync();
        var restriction = await db.Restrictions.FirstAsync();
        TransitionPlan Plan(TransitionStatus status) => new()
        {
            BindingId = binding.Id, RestrictionId = restriction.Id, TargetModelId = binding.ModelId, Owner = "o",
            TargetDate = restriction.TransitionDeadline, Status = status, CreatedBy = "officer", CreatedAt = DateTime.UtcNow,
        };

        db.TransitionPlans.AddRange(Plan(TransitionStatus.Done), Plan(TransitionStatus.Cancelled), Plan(TransitionStatus.Planned));
        await db.SaveChangesAsync();

        db.TransitionPlans.Add(Plan(TransitionStatus.InProgress));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}
