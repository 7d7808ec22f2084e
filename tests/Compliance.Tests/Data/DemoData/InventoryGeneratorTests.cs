using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Data.DemoData;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Data.DemoData;

public abstract class InventoryGeneratorTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : InventoryGeneratorTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : InventoryGeneratorTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task The_generator_writes_the_requested_inventory_that_ef_core_reads_back()
    {
        await using (var db = _database.Create())
        {
            await InventoryGenerator.GenerateAsync(db, new InventorySize(Customers: 5, Workloads: 200, Bindings: 2_000, Models: 30, Approvals: 40));
        }

        await using var read = _database.Create();
        Assert.Equal((5, 200, 2_000, 30, 40), (await read.Customers.CountAsync(), await read.Workloads.CountAsync(), await read.Bindings.CountAsync(),
            await read.Models.CountAsync(), await read.Approvals.CountAsync()));
        var approval = await read.Approvals.FirstAsync();
        Assert.Equal(ApprovalStatus.Approved, approval.Status);
        Assert.Empty(approval.CustomerIds);
        Assert.Equal(DateTimeKind.Utc, approval.ValidFrom.Kind);
        Assert.All(await read.Bindings.Include(b => b.Workload).Take(50).ToListAsync(), b => Assert.NotNull(b.Workload));
        // The binding copies are filled by the triggers, bulk path or not.
        Assert.False(await read.Bindings.AnyAsync(b => b.WorkloadName != b.Workload!.Name || b.ModelName != b.Model!.DisplayName));
    }

    [Fact]
    public async Task The_generator_refuses_a_database_that_already_has_an_inventory()
    {
        await _database.SeedDemoAsync();
        await using var db = _database.Create();
        await Assert.ThrowsAsync<InvalidOperationException>(() => InventoryGenerator.GenerateAsync(db, InventorySize.Scaled(100)));
    }
}
