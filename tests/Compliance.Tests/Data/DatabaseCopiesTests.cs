using Compliance.Data.Audit;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Data;

/// <summary>
/// A binding's copies of its customer, workload and model (the grid's sort and filter keys) are kept in step by the
/// database's triggers, whichever way a row is written, and stay out of the audit trail.
/// </summary>
public abstract class DatabaseCopiesTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : DatabaseCopiesTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : DatabaseCopiesTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private int _bindingId, _workloadId, _customerId, _modelId, _otherModelId;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.Create();
        var customer = new Customer { Code = "NAVY", Name = "Navy", Sector = Sector.Defense };
        var workload = new Workload { Customer = customer, Name = "Logistics assistant", Owner = "o", Environment = "prod", ImpactLevel = ImpactLevel.IL4 };
        var model = new Model { Provider = "Acme", DisplayName = "Acme One", HostModelId = "acme.one-v1", Version = "1", Hosting = "Bedrock", Region = "us-gov-west-1" };
        var other = new Model { Provider = "Acme", DisplayName = "Acme Two", HostModelId = "acme.two-v1", Version = "1", Hosting = "Bedrock", Region = "us-gov-west-1" };
        var binding = new Binding { Model = model, Workload = workload, From = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
        db.AddRange(other, binding);
        await db.SaveChangesAsync();
        (_bindingId, _workloadId, _customerId, _modelId, _otherModelId) = (binding.Id, workload.Id, customer.Id, model.Id, other.Id);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_new_binding_carries_its_customer_workload_and_model()
    {
        var b = await ReadAsync();
        Assert.Equal((_customerId, "Navy", "Logistics assistant", ImpactLevel.IL4, "Acme One"), (b.CustomerId, b.CustomerName, b.WorkloadName, b.ImpactLevel, b.ModelName));
    }

    [Fact]
    public async Task Renaming_or_reclassifying_the_parents_updates_every_copy()
    {
        await using (var db = _database.Create())
        {
            (await db.Customers.SingleAsync()).Name = "US Navy";
            var workload = await db.Workloads.SingleAsync();
            workload.Name = "Fleet logistics";
            workload.ImpactLevel = ImpactLevel.IL6;
            (await db.Models.SingleAsync(m => m.Id == _modelId)).DisplayName = "Acme One (2026)";
            await db.SaveChangesAsync();
        }

        var b = await ReadAsync();
        Assert.Equal(("US Navy", "Fleet logistics", ImpactLevel.IL6, "Acme One (2026)"), (b.CustomerName, b.WorkloadName, b.ImpactLevel, b.ModelName));
    }

    [Fact]
    public async Task Moving_a_workload_to_another_customer_or_a_binding_to_another_model_follows()
    {
        await using (var db = _database.Create())
        {
            var army = new Customer { Code = "ARMY", Name = "Army", Sector = Sector.Defense };
            db.Customers.Add(army);
            (await db.Workloads.SingleAsync()).Customer = army;
            (await db.Bindings.SingleAsync()).ModelId = _otherModelId;
            await db.SaveChangesAsync();
        }

        var b = await ReadAsync();
        Assert.Equal(("Army", "Acme Two"), (b.CustomerName, b.ModelName));
        Assert.NotEqual(_customerId, b.CustomerId);
    }

    [Fact]
    public async Task A_row_written_without_the_app_gets_its_copies_too()
    {
        await using (var db = _database.Create())
        {
            await db.Database.ExecuteSqlAsync($"INSERT INTO \"Bindings\" (\"ModelId\", \"WorkloadId\", \"Usage\", \"Purpose\", \"From\") VALUES ({_otherModelId}, {_workloadId}, 0, 'pipeline', '2026-02-01 00:00:00')");
        }

        await using var read = _database.Create();
        var b = await read.Bindings.AsNoTracking().OrderBy(x => x.Id).LastAsync();
        Assert.Equal(("Navy", "Acme Two", ImpactLevel.IL4), (b.CustomerName, b.ModelName, b.ImpactLevel));
    }

    [Fact]
    public async Task The_audit_trail_records_no_copies_and_a_rename_leaves_no_drift()
    {
        await using (var db = _database.Create())
        {
            (await db.Customers.SingleAsync()).Name = "US Navy";
            await db.SaveChangesAsync();
        }

        await using var read = _database.Create();
        var recorded = await read.AuditEvents.Where(e => e.Entity == nameof(Binding)).Select(e => e.After).SingleAsync();
        Assert.DoesNotContain(nameof(Binding.CustomerName), recorded!);
        Assert.DoesNotContain(nameof(Binding.ModelName), recorded!);
        Assert.Empty(await AuditTrail.FindDriftAsync(read));
    }

    private async Task<Binding> ReadAsync()
    {
        await using var db = _database.Create();
        return await db.Bindings.AsNoTracking().SingleAsync(b => b.Id == _bindingId);
    }
}
