using System.Diagnostics;
using Compliance.Web.Data.DemoData;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Compliance.Benchmarks;

/// <summary>
/// DESIGN.md: an inventory grid page plus its total count, at any page depth, ≤ 5 ms p50 and ≤ 25 ms p99
/// server time. Limit: a raw ADO.NET keyset page over the same rows.
/// </summary>
public static class GridBenchmark
{
    public static async Task RunAsync(int bindings, int samples)
    {
        // Issue #4's shape at 250,000 (100,000 workloads); DESIGN.md's 1,000,000 with ten bindings per workload.
        var size = bindings == 250_000 ? InventorySize.Scaled(bindings) with { Workloads = 100_000 } : InventorySize.Scaled(bindings);
        await using var bench = await BenchDatabase.GenerateAsync(size);
        const int pageSize = 25;
        var pages = bindings / pageSize;
        int[] depths = [0, 10, pages / 100, pages / 10, pages / 2, pages - 1];

        // Limit: the raw engine reading one keyset page of the same projection.
        await using var raw = bench.Create();
        await raw.Database.OpenConnectionAsync();
        var connection = raw.Database.GetDbConnection();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT b."Id", c."Name", w."Name", w."ImpactLevel", m."DisplayName", m."HostModelId", m."Hosting", b."Usage", b."From"
            FROM "Bindings" b CROSS JOIN "Workloads" w CROSS JOIN "Customers" c CROSS JOIN "Models" m
            WHERE w."Id" = b."WorkloadId" AND c."Id" = w."CustomerId" AND m."Id" = b."ModelId" AND b."Id" > @after ORDER BY b."Id" LIMIT 25
            """;
        var after = cmd.CreateParameter();
        after.ParameterName = "@after";
        after.Value = 0; // typed before preparing (PostgreSQL prepares with the parameter's type)
        cmd.Parameters.Add(after);
        await cmd.PrepareAsync();
        var limit = await Measure.SamplesAsync(20, samples, async i =>
        {
            after.Value = depths[i % depths.Length] * pageSize;
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
        });

        // The product: the bindings grid's own query (filter + sort + total + page) through EF Core, as the grid runs it
        // with its paging memory: the pager's moves (next, previous, last) read index ranges and reuse the view's total.
        var now = DateTime.UtcNow;
        foreach (var (name, activeOnly, configure) in new (string, bool, Action<GridState<BindingRow>>)[]
                 {
                     ("default order", false, _ => { }),
                     ("active only (the page's default)", true, _ => { }),
                     ("sorted by customer, filtered to IL5+", false, s =>
                     {
                         s.SortDefinitions.Add(new SortDefinition<BindingRow>(nameof(BindingRow.CustomerName), false, 0, r => r.CustomerName));
                         s.FilterDefinitions.Add(Filter(r => r.ImpactLevel, FilterOperator.Number.GreaterThanOrEqual, Compliance.Domain.ImpactLevel.IL5));
                     }),
                     ("active, sorted by model descending", true, s =>
                         s.SortDefinitions.Add(new SortDefinition<BindingRow>(nameof(BindingRow.ModelName), true, 0, r => r.ModelName))),
                 })
        {
            async Task<GridData<BindingRow>> PageAsync(GridPaging paging, int page)
            {
                await using var db = bench.Create();
                var state = new GridState<BindingRow> { Page = page, PageSize = pageSize };
                configure(state);
                var data = await db.BindingsPageAsync(db.BindingRows(), activeOnly, now, state, paging, "", CancellationToken.None);
                return data.Items.Any() || data.TotalItems == 0 ? data : throw new InvalidOperationException($"page {page} is empty");
            }

            var watch = Stopwatch.StartNew();
            var view = new GridPaging { CountLifetime = TimeSpan.FromHours(1) };
            var total = (await PageAsync(view, 0)).TotalItems;
            var last = Math.Max(0, (total - 1) / pageSize);
            int[] at = [0, 10, last / 100, last / 10, last / 2, last - 1];

            // First load of a view: the total counted, then page 1.
            var first = await Measure.SamplesAsync(2, Math.Max(6, samples / 6), _ => PageAsync(new GridPaging(), 0));

            // Pager moves at every depth: stand on page d (untimed), then time next, previous and last.
            // The warm-up makes each kind of move once, so no sample pays EF Core's first compilation of its query.
            var slowest = new Dictionary<string, (double Ms, int Page)>();
            var moves = await Measure.SamplesAsync(3, samples, async (int i) =>
            {
                var d = Math.Clamp(at[i % at.Length], 1, Math.Max(1, last - 1));
                var move = (i + i / at.Length) % 3; // every depth gets every kind of move
                view.Reset();
                await PageAsync(view, d); // arriving there (a jump) is not the move being timed
                var sw = Stopwatch.StartNew();
                await PageAsync(view, move switch { 0 => d + 1, 1 => d - 1, _ => last });
                var ms = sw.Elapsed.TotalMilliseconds;
                var kind = move switch { 0 => "next", 1 => "previous", _ => "last" };
                if (!slowest.TryGetValue(kind, out var worst) || ms > worst.Ms) slowest[kind] = (ms, d);
                return ms;
            });

            // A jump to a page with no remembered neighbour: skips from the nearer end (the pager never asks for one).
            var jumps = await Measure.SamplesAsync(1, Math.Max(6, samples / 6), async (int i) =>
            {
                view.Reset();
                await PageAsync(view, 0); // the total, untimed
                var sw = Stopwatch.StartNew();
                await PageAsync(view, at[i % at.Length]);
                return sw.Elapsed.TotalMilliseconds;
            });

            Console.WriteLine($"  {name}: {total:N0} rows, {last + 1:N0} pages; {samples} moves at pages {string.Join(", ", at)} in {watch.Elapsed.TotalSeconds:0.0} s; "
                + "slowest " + string.Join(", ", slowest.Select(m => $"{m.Key} {m.Value.Ms:0.0} ms (from page {m.Value.Page})")));
            var work = $"grid, {bindings:N0} bindings, {name}";
            Measure.Report($"{work}: pager move (next/previous/last, total reused)", "p50 ms", moves.P(50), limit.P(50), "≤ 5 ms p50", moves.P(50) <= 5);
            Measure.Report($"{work}: pager move (next/previous/last, total reused)", "p99 ms", moves.P(99), limit.P(99), "≤ 25 ms p99", moves.P(99) <= 25);
            Measure.Report($"{work}: first load (total counted + page 1)", "p50 ms", first.P(50), limit.P(50), "≤ 5 ms p50", first.P(50) <= 5);
            Measure.Report($"{work}: first load (total counted + page 1)", "p99 ms", first.P(99), limit.P(99), "≤ 25 ms p99", first.P(99) <= 25);
            Measure.Report($"{work}: jump to page {string.Join("/", at)} (no neighbour remembered)", "p50 ms", jumps.P(50), limit.P(50), "informative", true);
            Measure.Report($"{work}: jump to page {string.Join("/", at)} (no neighbour remembered)", "max ms", jumps[^1], limit[^1], "informative", true);
        }
    }

#pragma warning disable BL0005 // columns built outside a render tree, as the grid hands them to ServerData
    private static FilterDefinition<BindingRow> Filter<T>(System.Linq.Expressions.Expression<Func<BindingRow, T>> property, string op, object value)
    {
        var column = new PropertyColumn<BindingRow, T> { Property = property };
        typeof(PropertyColumn<BindingRow, T>).GetMethod("OnParametersSet", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.Invoke(column, null);
        return new FilterDefinition<BindingRow> { Column = column, Operator = op, Value = value };
    }
#pragma warning restore BL0005
}
