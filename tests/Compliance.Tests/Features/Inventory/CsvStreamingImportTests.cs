using System.Text;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data.DemoData;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Inventory.Import;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Inventory;

/// <summary>A bindings file longer than one batch: written batch by batch in one transaction, all or nothing.</summary>
public sealed class CsvStreamingImportTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.Create();
        await InventoryGenerator.GenerateAsync(db, new InventorySize(Customers: 2, Workloads: CsvImporter.BatchSize + 600, Bindings: 10, Models: 12, Approvals: 12));
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_file_of_several_batches_imports_whole_and_reports_progress()
    {
        var (csv, rows) = await FileAsync(badLastRow: false);
        var reported = new List<int>();

        var report = await Importer().ImportAsync(ImportKind.Bindings, "many.csv", "text/csv", new MemoryStream(csv), "officer", new SyncProgress(reported.Add));

        Assert.True(report.Succeeded, string.Join("; ", report.Errors.Take(3)));
        Assert.Equal(rows, report.Added);
        Assert.Equal([CsvImporter.BatchSize, rows], reported);
        Assert.Equal(rows, await CodingAssistantBindingsAsync());
    }

    [Fact]
    public async Task An_error_in_a_later_batch_rolls_back_the_batches_already_written()
    {
        var (csv, rows) = await FileAsync(badLastRow: true);

        var report = await Importer().ImportAsync(ImportKind.Bindings, "many.csv", "text/csv", new MemoryStream(csv), "officer", null);

        var error = Assert.Single(report.Errors);
        Assert.Equal((rows + 1, "from"), (error.Row, error.Field));
        Assert.Equal(0, await CodingAssistantBindingsAsync());
        await using var db = _database.Create();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Reason!.Contains("many.csv")));
    }

    [Fact]
    public async Task Cancelling_after_the_first_batch_writes_nothing()
    {
        var (csv, _) = await FileAsync(badLastRow: false);
        using var cancel = new CancellationTokenSource();

        // The first batch is written (and reported) before the cancel arrives; the transaction still holds it.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Importer().ImportAsync(
            ImportKind.Bindings, "many.csv", "text/csv", new MemoryStream(csv), "officer", new SyncProgress(_ => cancel.Cancel()), cancel.Token));

        Assert.Equal(0, await CodingAssistantBindingsAsync());
        await using var db = _database.Create();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Reason!.Contains("many.csv")));
    }

    private CsvImporter Importer() => new(_database.Factory, new InventoryEvents());

    private async Task<(byte[] Csv, int Rows)> FileAsync(bool badLastRow)
    {
        await using var db = _database.Create();
        var model = await db.Models.OrderBy(m => m.Id).FirstAsync();
        var workloads = await db.Workloads.OrderBy(w => w.Id).Select(w => new { w.Customer!.Code, w.Name }).ToListAsync();
        var text = new StringBuilder("customer_code,workload,host_model_id,hosting,region,usage,purpose,from,to\n");
        for (var i = 0; i < workloads.Count; i++)
        {
            var from = badLastRow && i == workloads.Count - 1 ? "0001-01-01" : "2026-01-05";
            text.Append($"{workloads[i].Code},{Csv.Quote(workloads[i].Name)},{Csv.Quote(model.HostModelId)},{Csv.Quote(model.Hosting)},{Csv.Quote(model.Region)},CodingAssistant,bulk,{from},\n");
        }

        return (Encoding.UTF8.GetBytes(text.ToString()), workloads.Count);
    }

    private async Task<int> CodingAssistantBindingsAsync()
    {
        await using var db = _database.Create();
        return await db.Bindings.CountAsync(b => b.Usage == Usage.CodingAssistant && b.Purpose == "bulk");
    }

    /// <summary>Reports on the caller's thread, so the test sees every report before the import returns.</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
