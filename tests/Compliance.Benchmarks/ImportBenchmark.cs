using System.Diagnostics;
using System.Text;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Inventory.Import;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Benchmarks;

/// <summary>
/// Issue #19: a bindings CSV import in bounded memory, target ≤ 150 MB of extra resident memory for 1,000,000 imported
/// rows, whatever the inventory's size. The file is written to disk first and streamed from it, as an upload is; each
/// row is a distinct (model, workload) pair with an end date, so every row is checked and written (audit included).
/// Limit: reading the same file row by row with the same CSV reader, nothing checked or written.
/// </summary>
public static class ImportBenchmark
{
    public static async Task RunAsync(BenchDatabase bench, int rows)
    {
        var file = Path.Combine(bench.Folder, "bindings.csv");
        await WriteFileAsync(bench, file, rows);
        Console.WriteLine($"  file: {rows:N0} rows, {Measure.MB(new FileInfo(file).Length):0} MB");

        var before = Measure.ResetPeakMemory();
        var parse = new AnonymousMemoryPeak();
        var watch = Stopwatch.StartNew();
        var read = 0;
        await using (var stream = File.OpenRead(file))
        {
            await foreach (var _ in CsvStream.ReadAsync(stream, "bindings.csv"))
            {
                read++;
            }
        }

        var limitMs = watch.Elapsed.TotalMilliseconds;
        parse.Dispose();
        var limitMb = Measure.MB(parse.Peak - parse.Before);
        Console.WriteLine($"  limit (read and parse only): {limitMs:0} ms, {read - 1:N0} rows, anonymous resident peak +{limitMb:0} MB");

        var importer = new CsvImporter(bench.Factory, new InventoryEvents());
        before = Measure.ResetPeakMemory();
        using var anon = new AnonymousMemoryPeak();
        watch.Restart();
        ImportReport report;
        await using (var stream = File.OpenRead(file))
        {
            report = await importer.ImportAsync(ImportKind.Bindings, "bindings.csv", "text/csv", stream, "benchmark", null);
        }

        var ms = watch.Elapsed.TotalMilliseconds;
        anon.Dispose();
        if (!report.Succeeded || report.Added != rows)
        {
            throw new InvalidOperationException($"import: {report.Added} added; {string.Join("; ", report.Errors.Take(3))}");
        }

        var extra = Measure.MB(anon.Peak - anon.Before);
        Console.WriteLine($"  import: {ms / 1000:0.0} s ({rows / (ms / 1000):N0} rows/s); anonymous resident peak +{extra:0} MB, process peak +{Measure.MB(Measure.PeakMemory() - before):0} MB; {anon.Breakdown}");
        Measure.Report("bindings CSV import", $"{rows:N0} rows, extra memory MB", extra, Math.Max(limitMb, 1), "≤ 150 MB", extra <= 150);
        Measure.Report("bindings CSV import", $"{rows:N0} rows, seconds", ms / 1000, limitMs / 1000, "—", true);
    }

    private static async Task WriteFileAsync(BenchDatabase bench, string file, int rows)
    {
        await using var db = bench.Create();
        var workloads = await db.Workloads.AsNoTracking().OrderBy(w => w.Id).Select(w => new { w.Customer!.Code, w.Name }).ToListAsync();
        var models = await db.Models.AsNoTracking().OrderBy(m => m.Id).Select(m => new { m.HostModelId, m.Hosting, m.Region }).ToListAsync();
        if ((long)workloads.Count * models.Count < rows)
        {
            throw new ArgumentException($"{rows:N0} distinct rows need more workloads × models than {workloads.Count:N0} × {models.Count}.");
        }

        await using var writer = new StreamWriter(file, false, new UTF8Encoding(false));
        await writer.WriteLineAsync("customer_code,workload,host_model_id,hosting,region,usage,purpose,from,to");
        for (var i = 0; i < rows; i++)
        {
            // Consecutive rows take consecutive workloads, so no two rows of a batch share a (model, workload) key.
            var w = workloads[i % workloads.Count];
            var m = models[i / workloads.Count % models.Count];
            await writer.WriteLineAsync($"{w.Code},{Csv.Quote(w.Name)},{Csv.Quote(m.HostModelId)},{Csv.Quote(m.Hosting)},{Csv.Quote(m.Region)},Agent,imported for the benchmark,2025-01-01,2025-06-30");
        }
    }
}
