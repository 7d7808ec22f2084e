using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Checks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Checks;

public abstract class DecisionServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : DecisionServiceTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : DecisionServiceTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private ReferenceDataCache _cache = null!;
    private DecisionService _decisions = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();

        _cache = new ReferenceDataCache(_database.Factory, _clock);
        _decisions = new DecisionService(_cache, _database.Options, Options.Create(new CheckOptions()), _clock);
    }

    public Task DisposeAsync()
    {
        _decisions.Dispose();
        return _database.DisposeAsync();
    }

    /// <summary>A binding the demo allows: a civilian workload on a model with an approval that covers it.</summary>
    private async Task<Binding> AllowedCivilianBindingAsync()
    {
        await using var db = _database.Create();
        foreach (var b in await db.Bindings.Include(b => b.Workload).ThenInclude(w => w!.Customer)
                     .Where(b => b.Workload!.Customer!.Sector == Sector.Civilian).OrderBy(b => b.Id).ToListAsync())
        {
            if ((await _decisions.DecideAsync(b.ModelId, b.WorkloadId, b.Usage, CancellationToken.None))!.Allowed)
            {
                return b;
            }
        }

        throw new InvalidOperationException("The demo has no allowed civilian binding.");
    }

    private async Task RestrictModelAsync(int modelId)
    {
        await using var db = _database.Create("admin");
        db.Restrictions.Add(new Restriction
        {
            ModelId = modelId, Sectors = Sectors.Civilian, EffectiveFrom = _clock.UtcNow.AddMinutes(-1), TransitionDeadline = _clock.UtcNow.AddDays(30),
            Reason = "Test restriction.", CreatedBy = "admin", CreatedAt = _clock.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task New_restriction_is_refused_at_once_after_invalidation()
    {
        var binding = await AllowedCivilianBindingAsync();
        await RestrictModelAsync(binding.ModelId);

        _cache.Invalidate();

        var evaluation = await _decisions.DecideAsync(binding.ModelId, binding.WorkloadId, binding.Usage, CancellationToken.None);
        Assert.False(evaluation!.Allowed);
        Assert.Equal(FindingRule.Restricted, evaluation.Reasons[0].Rule);
    }

    [Fact]
    public async Task Cached_reference_data_is_reloaded_after_at_most_five_seconds()
    {
        var binding = await AllowedCivilianBindingAsync();
        await RestrictModelAsync(binding.ModelId);

        // Same snapshot inside the window (another instance changed the data: no invalidation here).
        Assert.True((await _decisions.DecideAsync(binding.ModelId, binding.WorkloadId, binding.Usage, CancellationToken.None))!.Allowed);

        _clock.Advance(ReferenceDataCache.MaxAge);
        Assert.False((await _decisions.DecideAsync(binding.ModelId, binding.WorkloadId, binding.Usage, CancellationToken.None))!.Allowed);
    }

    [Fact]
    public async Task Unknown_model_or_workload_gives_no_decision()
    {
        var binding = await AllowedCivilianBindingAsync();
        Assert.Null(await _decisions.DecideAsync(99_999, binding.WorkloadId, Usage.Inference, CancellationToken.None));
        Assert.Null(await _decisions.DecideAsync(binding.ModelId, 99_999, Usage.Inference, CancellationToken.None));
    }

    [Fact]
    public async Task Model_is_found_by_id_by_host_id_or_reported_ambiguous()
    {
        await using var db = _database.Create();
        var mini = await db.Models.SingleAsync(m => m.HostModelId == "gpt-4o-mini");

        Assert.Equal(mini.Id, (await _decisions.FindModelAsync(mini.Id.ToString(), CancellationToken.None)).Model!.Id);
        Assert.Equal(mini.Id, (await _decisions.FindModelAsync(" GPT-4o-mini ", CancellationToken.None)).Model!.Id);

        var ambiguous = await _decisions.FindModelAsync("anthropic.claude-3-7-sonnet-20250219-v1:0", CancellationToken.None);
        Assert.Null(ambiguous.Model);
        Assert.Equal(2, ambiguous.Candidates.Count);

        var unknown = await _decisions.FindModelAsync("no-such-model", CancellationToken.None);
        Assert.Null(unknown.Model);
        Assert.Empty(unknown.Candidates);
    }
}
