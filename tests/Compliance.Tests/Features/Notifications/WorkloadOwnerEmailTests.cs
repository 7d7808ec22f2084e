using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Data;

namespace Compliance.Tests.Features.Notifications;

/// <summary>A workload's owner address (where restriction emails go) is kept by the inventory service, checked, and audited.</summary>
public abstract class WorkloadOwnerEmailTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : WorkloadOwnerEmailTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : WorkloadOwnerEmailTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private InventoryService _inventory = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _inventory = new InventoryService(_database.Factory, new InventoryEvents(), TimeProvider.System);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private async Task<Workload> FirstAsync()
    {
        await using var db = _database.Create();
        return await db.Workloads.AsNoTracking().OrderBy(w => w.Id).FirstAsync();
    }

    [Fact]
    public async Task An_owner_email_is_saved_trimmed_and_a_malformed_one_is_refused_naming_the_field()
    {
        var workload = await FirstAsync();

        workload.OwnerEmail = "not an address";
        var refused = await _inventory.SaveWorkloadAsync(People.Officer, workload);
        Assert.Contains("Owner email", refused.ErrorsByField()["ownerEmail"]);

        workload.OwnerEmail = "  j.rivera@acme.example ";
        Assert.True((await _inventory.SaveWorkloadAsync(People.Officer, workload)).Succeeded);
        Assert.Equal("j.rivera@acme.example", (await FirstAsync()).OwnerEmail);
        await using var db = _database.Create();
        var audit = await db.AuditEvents.Where(e => e.Entity == nameof(Workload)).OrderBy(e => e.Id).LastAsync();
        Assert.Contains("j.rivera@acme.example", audit.After);
    }
}
