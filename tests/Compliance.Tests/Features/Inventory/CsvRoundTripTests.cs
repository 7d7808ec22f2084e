using System.Text;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Inventory.Import;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Inventory;

public sealed class CsvRoundTripTests : IAsyncLifetime
{
    private readonly TestDatabase _source = new();
    private readonly TestDatabase _target = new();

    public async Task InitializeAsync()
    {
        await _source.InitializeAsync();
        await _source.SeedDemoAsync();
        await _target.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
    }

    [Fact]
    public async Task Exported_models_workloads_and_bindings_import_into_another_inventory_unchanged()
    {
        await using (var source = _source.Create())
        await using (var target = _target.Create())
        {
            target.Customers.AddRange(await source.Customers.AsNoTracking()
                .Select(c => new Customer { Code = c.Code, Name = c.Name, Sector = c.Sector }).ToListAsync());
            await target.SaveChangesAsync();
        }

        var importer = new CsvImporter(_target.Factory, new InventoryEvents());
        foreach (var kind in new[] { ImportKind.Models, ImportKind.Workloads, ImportKind.Bindings })
        {
            var csv = await ExportAsync(kind);
            var report = await importer.ImportAsync(kind, $"{kind}.csv", "text/csv", Encoding.UTF8.GetBytes(csv), "officer");
            Assert.True(report.Succeeded, $"{kind}: " + string.Join("; ", report.Errors.Take(5)));
        }

        Assert.Equal(await BindingKeys(_source), await BindingKeys(_target));
        Assert.Equal(await ExportAsync(ImportKind.Workloads, _source), await ExportAsync(ImportKind.Workloads, _target));
    }

    private Task<string> ExportAsync(ImportKind kind) => ExportAsync(kind, _source);

    private static async Task<string> ExportAsync(ImportKind kind, TestDatabase database)
    {
        await using var db = database.Create();
        await using var writer = new StringWriter();
        await InventoryExport.WriteCsvAsync(db, kind, writer);
        return writer.ToString();
    }

    private static async Task<List<string>> BindingKeys(TestDatabase database)
    {
        await using var db = database.Create();
        return (await db.Bindings.Where(b => b.To == null)
            .Select(b => new { b.Workload!.Customer!.Code, b.Workload.Name, b.Model!.HostModelId, b.Model.Hosting, b.Usage, b.Purpose, b.From })
            .ToListAsync()).Select(x => x.ToString()!).Order().ToList();
    }
}
