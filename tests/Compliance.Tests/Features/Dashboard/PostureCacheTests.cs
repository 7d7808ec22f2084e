using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Dashboard;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Dashboard;

/// <summary>The posture snapshot shared by all staff dashboards: who may have it, when it is reloaded, that it is shared.</summary>
public sealed class PostureCacheTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly TestClock _clock = new();
    private CheckRunner _runner = null!;
    private PostureCache _cache = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _runner = new CheckRunner(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance);
        _cache = new PostureCache(_database.Factory, _clock, _runner);
    }

    public Task DisposeAsync()
    {
        _cache.Dispose();
        return _database.DisposeAsync();
    }

    [Fact]
    public async Task A_customer_never_gets_the_posture_of_every_organisation_through_the_shared_cache()
    {
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        await _cache.ForAsync(CustomerScope.Unrestricted); // a staff dashboard has filled the cache

        await using var db = _database.Create();
        var acme = CustomerScope.For(await db.Customers.SingleAsync(c => c.Code == "acme"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _cache.ForAsync(acme));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _cache.ForAsync(CustomerScope.Nothing));
    }

    [Fact]
    public async Task Every_dashboard_gets_the_same_snapshot_until_a_check_run_replaces_it()
    {
        var first = await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        var a = await _cache.ForAsync(CustomerScope.Unrestricted);
        var b = await _cache.ForAsync(CustomerScope.Unrestricted);
        Assert.Same(a, b);
        Assert.Equal(first.Id, a.Posture.Latest!.Id);

        var second = await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);

        var c = await _cache.ForAsync(CustomerScope.Unrestricted);
        Assert.NotSame(a, c);
        Assert.Equal(second.Id, c.Posture.Latest!.Id);
    }

    [Fact]
    public async Task A_snapshot_older_than_its_maximum_age_is_reloaded()
    {
        var a = await _cache.ForAsync(CustomerScope.Unrestricted);
        Assert.Null(a.Posture.Latest);

        // A run the cache was not told about (another runner), e.g. in another process.
        await new CheckRunner(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);
        Assert.Same(a, await _cache.ForAsync(CustomerScope.Unrestricted));

        _clock.Advance(PostureCache.MaxAge);
        var b = await _cache.ForAsync(CustomerScope.Unrestricted);
        Assert.NotNull(b.Posture.Latest);
    }

    [Fact]
    public async Task Dashboards_asking_at_the_same_time_share_one_load()
    {
        var loads = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _cache.ForAsync(CustomerScope.Unrestricted)));

        Assert.All(loads, s => Assert.Same(loads[0], s));
    }
}
