using Compliance.Data.Audit;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Data.Audit;

public abstract class AuditTrailTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : AuditTrailTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : AuditTrailTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Insert_update_and_delete_each_write_an_attributed_event_with_before_and_after()
    {
        int id;
        await using (var db = _database.Create("officer"))
        {
            var customer = new Customer { Code = "a", Name = "Alpha", Sector = Sector.Civilian };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            id = customer.Id;

            customer.Name = "Alpha Renamed";
            db.Reason = "Legal name changed";
            await db.SaveChangesAsync();

            db.Customers.Remove(customer);
            await db.SaveChangesAsync();
        }

        await using var read = _database.Create();
        var events = await read.AuditEvents.OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([AuditAction.Insert, AuditAction.Update, AuditAction.Delete], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("officer", e.User));
        Assert.All(events, e => Assert.Equal("Customer", e.Entity));
        Assert.All(events, e => Assert.Equal(id.ToString(), e.EntityKey));
        Assert.Null(events[0].Before);
        Assert.Contains("\"Alpha\"", events[0].After);
        Assert.Contains("\"Alpha\"", events[1].Before);
        Assert.Contains("Alpha Renamed", events[1].After);
        Assert.Equal("Legal name changed", events[1].Reason);
        Assert.Null(events[2].After);
        Assert.Equal(AuditTrail.Genesis, events[0].PreviousHash);
        Assert.Equal(events[0].Hash, events[1].PreviousHash);
        Assert.Equal(events[1].Hash, events[2].PreviousHash);
        Assert.Null(await AuditTrail.VerifyAsync(read));
    }

    [Fact]
    public async Task A_failed_save_writes_no_audit_event()
    {
        await using (var db = _database.Create())
        {
            db.Customers.Add(new Customer { Code = "dup", Name = "One", Sector = Sector.Civilian });
            await db.SaveChangesAsync();
        }

        await using (var db = _database.Create())
        {
            db.Customers.Add(new Customer { Code = "dup", Name = "Two", Sector = Sector.Civilian });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using var read = _database.Create();
        Assert.Equal(1, await read.AuditEvents.CountAsync());
        Assert.Equal(1, await read.Customers.CountAsync());
    }

    [Fact]
    public async Task Saving_without_an_actor_is_refused()
    {
        await using var db = _database.Create();
        db.Actor = null;
        db.Customers.Add(new Customer { Code = "x", Name = "X", Sector = Sector.Civilian });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("Actor", error.Message);
    }

    [Fact]
    public async Task An_event_edited_behind_the_apps_back_is_named_as_the_break()
    {
        var ids = await WriteThreeEvents();
        await using var db = _database.Create();
        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"AuditEvents\" SET \"User\" = 'mallory' WHERE \"Id\" = {ids[1]}");

        var broken = await AuditTrail.VerifyAsync(db);
        Assert.NotNull(broken);
        Assert.Equal(ids[1], broken.EventId);
        Assert.Contains("edited", broken.Why);
    }

    [Fact]
    public async Task A_deleted_event_breaks_the_chain_at_the_event_after_it()
    {
        var ids = await WriteThreeEvents();
        await using var db = _database.Create();
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM \"AuditEvents\" WHERE \"Id\" = {ids[1]}");

        var broken = await AuditTrail.VerifyAsync(db);
        Assert.NotNull(broken);
        Assert.Equal(ids[2], broken.EventId);
        Assert.Contains("deleted", broken.Why);
    }

    [Fact]
    public async Task A_domain_row_edited_behind_the_apps_back_no_longer_matches_its_last_audited_state()
    {
        await WriteThreeEvents();
        await using var db = _database.Create();
        await db.Database.ExecuteSqlRawAsync("UPDATE \"Customers\" SET \"Name\" = 'Forged' WHERE \"Code\" = 'c1'");

        var drift = await AuditTrail.FindDriftAsync(db);
        var row = Assert.Single(drift);
        Assert.Equal("Customer", row.Entity);
        Assert.Contains("Name", row.Why);
    }

    private async Task<long[]> WriteThreeEvents()
    {
        await using var db = _database.Create("officer");
        for (var i = 1; i <= 3; i++)
        {
            db.Customers.Add(new Customer { Code = $"c{i}", Name = $"Customer {i}", Sector = Sector.Defense });
            await db.SaveChangesAsync();
        }

        return await db.AuditEvents.OrderBy(e => e.Id).Select(e => e.Id).ToArrayAsync();
    }
}
