using System.Text;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Inventory.CycloneDx;
using Compliance.Web.Features.Inventory.Import;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Inventory;

/// <summary>
/// One rule on every path: text no longer than the model allows, dates inside the window, an end or move after the
/// start — through the service (the pages and the API call it), the CSV import and the CycloneDX import, each naming
/// the field (and the row) and changing nothing.
/// </summary>
public sealed class InventoryRulesTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly TestDatabase _target = new();
    private readonly InventoryEvents _events = new();
    private InventoryService _inventory = default!;

    private static readonly int PurposeLimit = InventoryRules.MaxLength<Binding>(nameof(Binding.Purpose));

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        await _target.InitializeAsync();
        _inventory = new InventoryService(_database.Factory, _events, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public void The_limits_are_the_models_own()
    {
        Assert.Equal(500, PurposeLimit);
        Assert.Equal(200, InventoryRules.MaxLength<Model>(nameof(Model.HostModelId)));
        Assert.Equal(2000, InventoryRules.MaxLength<AuditEvent>(nameof(AuditEvent.Reason)));
    }

    [Fact]
    public async Task A_purpose_longer_than_the_model_allows_is_refused_naming_the_field()
    {
        var (modelId, workloadId) = await FreePairAsync();
        var outcome = await _inventory.CreateBindingAsync("officer", new BindingInput(modelId, workloadId, Usage.Agent, new string('x', PurposeLimit + 1), null));

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("purpose", error.Field);
        Assert.Contains($"limit is {PurposeLimit}", error.Message);
        await AssertNoBindingAsync(modelId, workloadId);
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public async Task A_start_far_in_the_past_or_future_is_refused_naming_the_field(string from)
    {
        var (modelId, workloadId) = await FreePairAsync();
        var outcome = await _inventory.CreateBindingAsync("officer", new BindingInput(modelId, workloadId, Usage.Agent, null, Utc(from)));

        Assert.Equal("from", Assert.Single(outcome.Errors).Field);
        await AssertNoBindingAsync(modelId, workloadId);
    }

    [Fact]
    public async Task Move_date_before_the_start_is_refused_naming_the_field()
    {
        var binding = await ActiveBindingAsync();
        var other = await OtherModelAsync(binding);

        var outcome = await _inventory.MoveBindingAsync("officer", binding.Id, other, binding.From.AddDays(-1), null);

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("at", error.Field);
        Assert.Contains("after the binding's start", error.Message);
        await using var db = _database.Create();
        Assert.Null((await db.Bindings.FindAsync(binding.Id))!.To);
    }

    [Fact]
    public async Task End_date_on_the_start_is_refused_naming_the_field()
    {
        var binding = await ActiveBindingAsync();

        var outcome = await _inventory.EndBindingAsync("officer", binding.Id, binding.From, null);

        Assert.Equal("at", Assert.Single(outcome.Errors).Field);
    }

    [Fact]
    public async Task A_model_retiring_in_year_9999_is_refused_naming_the_field()
    {
        var outcome = await _inventory.SaveModelAsync("officer", new Model
        {
            Provider = "Meta", HostModelId = "far-future", DisplayName = "Far future", Hosting = "Self-hosted", RetiredOn = Utc("9999-12-31"),
        });

        Assert.Equal("retiredOn", Assert.Single(outcome.Errors).Field);
    }

    [Fact]
    public async Task A_csv_row_with_a_too_long_purpose_or_an_end_before_its_start_is_refused_naming_row_and_field()
    {
        var importer = new CsvImporter(_database.Factory, _events);
        var (customer, workload, hostModelId, hosting, region) = await BindingKeyAsync();
        var csv = "customer_code,workload,host_model_id,hosting,region,usage,purpose,from,to\n"
            + $"{customer},{workload},{hostModelId},{hosting},{region},Agent,{new string('p', PurposeLimit + 1)},2026-01-01,\n"
            + $"{customer},{workload},{hostModelId},{hosting},{region},CodingAssistant,ok,2026-02-01,2026-01-01\n"
            + $"{customer},{workload},{hostModelId},{hosting},{region},Inference,ok,0001-01-01,2026-01-01\n";

        var report = await importer.ImportAsync(ImportKind.Bindings, "bindings.csv", "text/csv", Encoding.UTF8.GetBytes(csv), "officer");

        Assert.Contains(report.Errors, e => e is { Row: 2, Field: "purpose" } && e.Message.Contains($"limit is {PurposeLimit}"));
        Assert.Contains(report.Errors, e => e is { Row: 3, Field: "to" } && e.Message.Contains("after the binding's start"));
        Assert.Contains(report.Errors, e => e is { Row: 4, Field: "from", File: "bindings.csv" });
        Assert.Equal(0, report.Added);
    }

    [Fact]
    public async Task A_bom_component_with_a_too_long_name_is_refused_naming_the_component_and_field()
    {
        var bom = $$"""
            { "bomFormat": "CycloneDX", "specVersion": "1.6",
              "components": [ { "type": "machine-learning-model", "bom-ref": "m1", "publisher": "Meta", "name": "{{new string('n', 201)}}" } ] }
            """;
        var report = await new CycloneDxImporter(_target.Factory, _events).ImportModelsAsync("bom.json", "application/json", Encoding.UTF8.GetBytes(bom), "officer");

        var error = Assert.Single(report.Errors, e => e.Field == "name");
        Assert.Contains("components[0] (m1)", error.Message);
        Assert.Contains("limit is 200", error.Message);
        await using var db = _target.Create();
        Assert.Equal(0, await db.Models.CountAsync());
    }

    [Fact]
    public async Task The_largest_legal_values_survive_export_then_import()
    {
        await using (var db = _target.Create())
        {
            var customer = new Customer { Code = new string('c', Max<Customer>(nameof(Customer.Code))), Name = new string('N', Max<Customer>(nameof(Customer.Name))) };
            var model = new Model
            {
                Provider = Fill("P", Max<Model>(nameof(Model.Provider))), HostModelId = Fill("id", Max<Model>(nameof(Model.HostModelId))),
                DisplayName = Fill("=D, \"quoted\"", Max<Model>(nameof(Model.DisplayName))), Version = Fill("v", Max<Model>(nameof(Model.Version))),
                Hosting = Fill("H", Max<Model>(nameof(Model.Hosting))), Region = Fill("r", Max<Model>(nameof(Model.Region))),
            };
            var workload = new Workload
            {
                Customer = customer, Name = Fill("W,\n", Max<Workload>(nameof(Workload.Name))), Owner = Fill("o", Max<Workload>(nameof(Workload.Owner))),
                Environment = Fill("e", Max<Workload>(nameof(Workload.Environment))), ImpactLevel = ImpactLevel.IL5,
            };
            db.Bindings.Add(new Binding { Model = model, Workload = workload, Usage = Usage.Agent, Purpose = Fill("+purpose \"x\", ", PurposeLimit), From = Utc("2026-01-05") });
            await db.SaveChangesAsync();
        }

        var fresh = new TestDatabase();
        await fresh.InitializeAsync();
        try
        {
            await using (var db = fresh.Create())
            {
                db.Customers.Add(new Customer { Code = new string('c', Max<Customer>(nameof(Customer.Code))), Name = new string('N', Max<Customer>(nameof(Customer.Name))) });
                await db.SaveChangesAsync();
            }

            var importer = new CsvImporter(fresh.Factory, _events);
            foreach (var kind in new[] { ImportKind.Models, ImportKind.Workloads, ImportKind.Bindings })
            {
                var report = await importer.ImportAsync(kind, $"{kind}.csv", "text/csv", Encoding.UTF8.GetBytes(await ExportAsync(_target, kind)), "officer");
                Assert.True(report.Succeeded, $"{kind}: " + string.Join("; ", report.Errors.Take(3)));
            }

            foreach (var kind in new[] { ImportKind.Models, ImportKind.Workloads, ImportKind.Bindings })
            {
                Assert.Equal(await ExportAsync(_target, kind), await ExportAsync(fresh, kind));
            }
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    private static int Max<T>(string property) => InventoryRules.MaxLength<T>(property);

    private static string Fill(string start, int length) => (start + new string('x', length))[..length];

    private static DateTime Utc(string day) => DateTime.SpecifyKind(DateTime.Parse(day, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static async Task<string> ExportAsync(TestDatabase database, ImportKind kind)
    {
        await using var db = database.Create();
        await using var writer = new StringWriter();
        await InventoryExport.WriteCsvAsync(db, kind, writer);
        return writer.ToString();
    }

    private async Task<(int ModelId, int WorkloadId)> FreePairAsync()
    {
        await using var db = _database.Create();
        var workload = await db.Workloads.OrderBy(w => w.Id).Select(w => w.Id).FirstAsync();
        var model = await db.Models.Where(m => !db.Bindings.Any(b => b.ModelId == m.Id && b.WorkloadId == workload)).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        return (model, workload);
    }

    private async Task AssertNoBindingAsync(int modelId, int workloadId)
    {
        await using var db = _database.Create();
        Assert.False(await db.Bindings.AnyAsync(b => b.ModelId == modelId && b.WorkloadId == workloadId));
    }

    private async Task<Binding> ActiveBindingAsync()
    {
        await using var db = _database.Create();
        return await db.Bindings.AsNoTracking().Where(b => b.To == null).OrderBy(b => b.Id).FirstAsync();
    }

    private async Task<int> OtherModelAsync(Binding binding)
    {
        await using var db = _database.Create();
        return await db.Models.Where(m => m.Id != binding.ModelId).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
    }

    private async Task<(string, string, string, string, string)> BindingKeyAsync()
    {
        await using var db = _database.Create();
        var w = await db.Workloads.Include(x => x.Customer).OrderBy(x => x.Id).FirstAsync();
        var m = await db.Models.Where(x => !x.HostModelId.Contains(',')).OrderBy(x => x.Id).FirstAsync();
        return (w.Customer!.Code, w.Name, m.HostModelId, m.Hosting, m.Region);
    }
}
