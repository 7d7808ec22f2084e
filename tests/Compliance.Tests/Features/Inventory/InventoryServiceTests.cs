using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Inventory;

public abstract class InventoryServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : InventoryServiceTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : InventoryServiceTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly InventoryEvents _events = new();
    private InventoryService _inventory = default!;
    private readonly List<string> _changes = [];

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _events.Changed += _changes.Add;
        _inventory = new InventoryService(_database.Factory, _events, TimeProvider.System);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Creating_a_binding_records_it_attributed_and_announces_the_change()
    {
        var (modelId, workloadId) = await UnboundPair();
        var outcome = await _inventory.CreateBindingAsync("pipeline", new BindingInput(modelId, workloadId, Usage.Inference, "deploy 42", null));

        Assert.True(outcome.Succeeded);
        Assert.Equal(["bindings"], _changes);
        await using var db = _database.Create();
        var audit = await db.AuditEvents.SingleAsync(e => e.Entity == "Binding" && e.EntityKey == outcome.Value!.Id.ToString());
        Assert.Equal("pipeline", audit.User);
    }

    [Fact]
    public async Task The_same_model_cannot_serve_the_same_workload_twice_for_one_usage()
    {
        var (modelId, workloadId) = await UnboundPair();
        Assert.True((await _inventory.CreateBindingAsync("officer", new BindingInput(modelId, workloadId, Usage.Inference, null, null))).Succeeded);
        var again = await _inventory.CreateBindingAsync("officer", new BindingInput(modelId, workloadId, Usage.Inference, null, null));
        Assert.Contains("already serves", Assert.Single(again.Errors).Message);
    }

    [Fact]
    public async Task Unknown_model_and_workload_are_both_named()
    {
        var outcome = await _inventory.CreateBindingAsync("officer", new BindingInput(999_999, 888_888, Usage.Inference, null, null));
        Assert.Equal(["modelId", "workloadId"], outcome.Errors.Select(e => e.Field));
    }

    [Fact]
    public async Task Moving_a_binding_ends_the_old_one_and_starts_the_new_one_at_the_same_instant()
    {
        var (modelId, workloadId) = await UnboundPair();
        var created = (await _inventory.CreateBindingAsync("officer", new BindingInput(modelId, workloadId, Usage.Agent, "p", DateTime.UtcNow.AddDays(-5)))).Value!;
        int target;
        await using (var db = _database.Create())
        {
            target = await db.Models.Where(m => m.Id != modelId).Select(m => m.Id).FirstAsync();
        }

        var moved = await _inventory.MoveBindingAsync("officer", created.Id, target, null, "vendor restricted");

        Assert.True(moved.Succeeded, string.Join(" ", moved.Errors));
        await using var read = _database.Create();
        var old = await read.Bindings.SingleAsync(b => b.Id == created.Id);
        var now = await read.Bindings.SingleAsync(b => b.Id == moved.Value!.Id);
        Assert.Equal(old.To, now.From);
        Assert.Equal((workloadId, Usage.Agent, "p"), (now.WorkloadId, now.Usage, now.Purpose));
        Assert.Equal("vendor restricted", (await read.AuditEvents.OrderBy(e => e.Id).LastAsync()).Reason);
    }

    [Fact]
    public async Task Ending_an_ended_binding_says_when_it_ended()
    {
        var (modelId, workloadId) = await UnboundPair();
        var created = (await _inventory.CreateBindingAsync("officer", new BindingInput(modelId, workloadId, Usage.Inference, null, DateTime.UtcNow.AddDays(-1)))).Value!;
        Assert.True((await _inventory.EndBindingAsync("officer", created.Id, null, null)).Succeeded);
        var again = await _inventory.EndBindingAsync("officer", created.Id, null, null);
        Assert.Contains("already ended", Assert.Single(again.Errors).Message);
        Assert.True((await _inventory.EndBindingAsync("officer", 123_456, null, null)).NotFound);
    }

    [Fact]
    public async Task A_model_with_bindings_cannot_be_deleted_and_the_reason_says_what_to_do()
    {
        int modelId;
        await using (var db = _database.Create())
        {
            modelId = await db.Bindings.Select(b => b.ModelId).FirstAsync();
        }

        var outcome = await _inventory.DeleteAsync<Model>("officer", modelId);
        Assert.Contains("end its bindings instead", Assert.Single(outcome.Errors).Message);
    }

    [Fact]
    public async Task A_new_model_with_a_key_already_in_the_inventory_is_refused()
    {
        var outcome = await _inventory.SaveModelAsync("officer", new Model
        {
            Provider = "OpenAI", HostModelId = "gpt-4o", DisplayName = "dup", Hosting = "Azure OpenAI Government", Region = "usgovvirginia",
        });
        Assert.Equal("hostModelId", Assert.Single(outcome.Errors).Field);
    }

    [Fact]
    public async Task A_workload_key_names_one_workload_and_a_second_use_is_refused_naming_the_holder()
    {
        await using var db = _database.Create();
        var (first, second) = await db.Workloads.OrderBy(w => w.Id).Take(2).ToListAsync() is [var a, var b] ? (a, b) : throw new InvalidOperationException();
        first.Key = "  SYS-0042 ";
        Assert.True((await _inventory.SaveWorkloadAsync("officer", first)).Succeeded);

        second.Key = "SYS-0042";
        var outcome = await _inventory.SaveWorkloadAsync("officer", second);

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("key", error.Field);
        Assert.Contains(first.Name, error.Message);
        await using var after = _database.Create();
        Assert.Equal("SYS-0042", await after.Workloads.Where(w => w.Id == first.Id).Select(w => w.Key).SingleAsync());
        Assert.Null(await after.Workloads.Where(w => w.Id == second.Id).Select(w => w.Key).SingleAsync());
    }

    private async Task<(int ModelId, int WorkloadId)> UnboundPair()
    {
        await using var db = _database.Create();
        var workload = await db.Workloads.OrderBy(w => w.Id).Select(w => w.Id).FirstAsync();
        var model = await db.Models.Where(m => !db.Bindings.Any(b => b.ModelId == m.Id && b.WorkloadId == workload)).Select(m => m.Id).FirstAsync();
        return (model, workload);
    }
}
