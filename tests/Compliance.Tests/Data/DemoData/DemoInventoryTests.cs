using Compliance.Data.Audit;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data.DemoData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Tests.Data.DemoData;

public sealed class DemoInventoryTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Seeding_fills_an_empty_database_with_a_realistic_inventory()
    {
        await using var db = _database.Create();
        Assert.True(await DemoInventory.SeedAsync(db, NullLogger.Instance));

        Assert.True(await db.Customers.CountAsync() >= 6);
        Assert.True(await db.Customers.CountAsync(c => c.Sector == Sector.Defense) >= 2);
        Assert.True(await db.Models.CountAsync() >= 40);
        Assert.True(await db.Models.Select(m => m.Hosting).Distinct().CountAsync() >= 5);
        Assert.True(await db.Workloads.CountAsync() >= 200);
        foreach (var level in new[] { ImpactLevel.IL2, ImpactLevel.IL4, ImpactLevel.IL5, ImpactLevel.IL6 })
        {
            Assert.True(await db.Workloads.AnyAsync(w => w.ImpactLevel == level), $"no {level} workload");
        }

        Assert.True(await db.Bindings.CountAsync() >= 200);
        Assert.Contains(await db.Bindings.Select(b => b.Usage).Distinct().ToListAsync(), u => u == Usage.CodingAssistant);
        Assert.True(await db.Approvals.CountAsync(a => a.Status == ApprovalStatus.Approved) >= 30);
        Assert.True(await db.Approvals.AnyAsync(a => a.Status == ApprovalStatus.Requested));
        var restriction = await db.Restrictions.SingleAsync();
        Assert.Equal(Sectors.Defense, restriction.Sectors & Sectors.Defense);
        Assert.True(restriction.TransitionDeadline > DateTime.UtcNow);
        Assert.True(await db.Models.AnyAsync(m => m.Provider == restriction.Provider));
        Assert.All(await db.Approvals.Where(a => a.DecidedBy != null).ToListAsync(), a => Assert.NotEqual(a.RequestedBy, a.DecidedBy));
    }

    [Fact]
    public async Task Seeding_twice_adds_nothing_the_second_time()
    {
        await using (var db = _database.Create())
        {
            Assert.True(await DemoInventory.SeedAsync(db, NullLogger.Instance));
        }

        int bindings, events;
        await using (var db = _database.Create())
        {
            bindings = await db.Bindings.CountAsync();
            events = await db.AuditEvents.CountAsync();
            Assert.False(await DemoInventory.SeedAsync(db, NullLogger.Instance));
        }

        await using var read = _database.Create();
        Assert.Equal(bindings, await read.Bindings.CountAsync());
        Assert.Equal(events, await read.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task Seeding_is_audited_and_the_chain_verifies()
    {
        await using var db = _database.Create();
        await DemoInventory.SeedAsync(db, NullLogger.Instance);

        Assert.True(await db.AuditEvents.CountAsync() > 600);
        Assert.All(await db.AuditEvents.Select(e => e.User).Distinct().ToListAsync(), u => Assert.Equal(DemoInventory.Actor, u));
        Assert.Null(await AuditTrail.VerifyAsync(db));
        Assert.Empty(await AuditTrail.FindDriftAsync(db));
    }
}
