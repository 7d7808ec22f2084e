using Compliance.Domain;
using Compliance.Web.Data.DemoData;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Features.Findings;

namespace Compliance.Benchmarks;

/// <summary>
/// Issue #15: the API's lists page "with the same page-cost targets as the grids" (DESIGN.md: ≤ 5 ms p50, ≤ 25 ms p99).
/// Times the very queries behind <c>GET /api/v1/bindings</c> and <c>GET /api/v1/findings</c> (<see cref="InventoryApi.BindingsPage"/>,
/// <see cref="FindingsApi.FindingsPage"/>, 100 rows, the default), a first page and next pages at every depth, after a check run
/// has written the findings. Limit: a raw ADO.NET keyset page of the same bindings.
/// </summary>
public static class ApiPagesBenchmark
{
    private const int Limit = 100;

    public static async Task RunAsync(int bindings, int samples)
    {
        var size = bindings == 250_000 ? InventorySize.Scaled(bindings) with { Workloads = 100_000 } : InventorySize.Scaled(bindings);
        await using var bench = await BenchDatabase.GenerateAsync(size);
        var run = await new CheckRunner(bench.Factory, Options.Create(new CheckOptions()), TimeProvider.System, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);
        var now = DateTime.UtcNow;
        var openFindings = FindingFilter.Parse(null, null, null, null, null, null); // what the API lists with no filter
        long[] findingIds, bindingIds;
        await using (var db = bench.Create())
        {
            findingIds = [.. await db.FindingRows(openFindings).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync()];
            bindingIds = [.. (await db.Bindings.OrderBy(b => b.Id).Select(b => b.Id).ToListAsync()).Select(i => (long)i)];
        }

        Console.WriteLine($"  api pages over {bindings:N0} bindings: check run {run.Status}, {findingIds.Length:N0} open findings");
        if (findingIds.Length == 0) throw new InvalidOperationException("the check wrote no findings to page through");

        // Limit: the raw engine reading one keyset page of bindings.
        await using var raw = bench.Create();
        await raw.Database.OpenConnectionAsync();
        await using var cmd = raw.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = """
            SELECT b.Id, b.ModelId, m.HostModelId, b.WorkloadId, w.Name, w.CustomerId, b.Usage, b.Purpose, b."From", b."To"
            FROM Bindings b CROSS JOIN Workloads w CROSS JOIN Models m
            WHERE w.Id = b.WorkloadId AND m.Id = b.ModelId AND b.Id > $after ORDER BY b.Id LIMIT 100
            """;
        var after = cmd.CreateParameter();
        after.ParameterName = "$after";
        cmd.Parameters.Add(after);
        await cmd.PrepareAsync();
        var limit = await Measure.SamplesAsync(20, samples, async i =>
        {
            after.Value = At(bindingIds, i);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
        });

        foreach (var (name, ids, page) in new (string, long[], Func<long?, Task<int>>)[]
                 {
                     ("bindings (active)", bindingIds, async a =>
                     {
                         await using var db = bench.Create();
                         return (await InventoryApi.BindingsPage(db, now, null, null, null, null, (int?)a, Limit).ToListAsync()).Count;
                     }),
                     ("findings (open)", findingIds, async a =>
                     {
                         await using var db = bench.Create();
                         return (await FindingsApi.FindingsPage(db, openFindings, a, Limit).ToListAsync()).Count;
                     }),
                 })
        {
            var first = await Measure.SamplesAsync(3, samples, _ => page(null));
            var next = await Measure.SamplesAsync(3, samples, i => page(At(ids, i)));
            var work = $"api, {bindings:N0} bindings, GET /api/v1/{name}, {Limit} rows";
            Measure.Report($"{work}: first page", "p50 ms", first.P(50), limit.P(50), "≤ 5 ms p50", first.P(50) <= 5);
            Measure.Report($"{work}: first page", "p99 ms", first.P(99), limit.P(99), "≤ 25 ms p99", first.P(99) <= 25);
            Measure.Report($"{work}: next page (after= at every depth)", "p50 ms", next.P(50), limit.P(50), "≤ 5 ms p50", next.P(50) <= 5);
            Measure.Report($"{work}: next page (after= at every depth)", "p99 ms", next.P(99), limit.P(99), "≤ 25 ms p99", next.P(99) <= 25);
        }
    }

    /// <summary>The i-th sample's cursor: ids at 0, 1, 10, 50, 90 and 99.9 % of the list, so every depth is timed.</summary>
    private static long At(long[] ids, int i)
    {
        double[] depths = [0, 0.01, 0.1, 0.5, 0.9, 0.999];
        return ids[(int)Math.Min(ids.Length - 1, depths[i % depths.Length] * ids.Length)];
    }
}
