using System.Diagnostics;
using Compliance.Web.Data.DemoData;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Shared;
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
        await using var bench = await BenchDatabase.GenerateAsync(InventorySize.Scaled(bindings));
        const int pageSize = 25;
        var pages = bindings / pageSize;
        int[] depths = [0, 10, pages / 100, pages / 10, pages / 2, pages - 1];

        // Limit: the raw engine reading one keyset page of the same projection.
        await using var raw = bench.Create();
        await raw.Database.OpenConnectionAsync();
        var connection = raw.Database.GetDbConnection();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT b.Id, c.Name, w.Name, w.ImpactLevel, m.DisplayName, m.HostModelId, m.Hosting, b.Usage, b."From"
            FROM Bindings b CROSS JOIN Workloads w CROSS JOIN Customers c CROSS JOIN Models m
            WHERE w.Id = b.WorkloadId AND c.Id = w.CustomerId AND m.Id = b.ModelId AND b.Id > $after ORDER BY b.Id LIMIT 25
            """;
        var after = cmd.CreateParameter();
        after.ParameterName = "$after";
        cmd.Parameters.Add(after);
        await cmd.PrepareAsync();
        var limit = await Measure.SamplesAsync(20, samples, async i =>
        {
            after.Value = depths[i % depths.Length] * pageSize;
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
        });

        // The product: the grid's own query (filter + sort + count + page) through EF Core.
        foreach (var (name, configure) in new (string, Action<GridState<BindingRow>>)[]
                 {
                     ("default order", _ => { }),
                     ("sorted by customer, filtered to IL5+", s =>
                     {
                         s.SortDefinitions.Add(new SortDefinition<BindingRow>(nameof(BindingRow.CustomerName), false, 0, r => r.CustomerName));
                         s.FilterDefinitions.Add(Filter(r => r.ImpactLevel, FilterOperator.Number.GreaterThanOrEqual, Compliance.Domain.ImpactLevel.IL5));
                     }),
                 })
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var grid = await Measure.SamplesAsync(2, samples, async i =>
            {
                await using var db = bench.Create();
                var state = new GridState<BindingRow> { Page = depths[i % depths.Length], PageSize = pageSize };
                configure(state);
                var page = await GridQuery.PageAsync(db.BindingRows(false, DateTime.UtcNow), state, CancellationToken.None, r => r.Id);
                if (page.TotalItems == 0) throw new InvalidOperationException("empty page");
            });
            Console.WriteLine($"  ({samples} samples over page depths {string.Join(", ", depths)} in {watch.Elapsed.TotalSeconds:0.0} s)");
            Measure.Report($"grid page + count, {bindings:N0} bindings, {name}", "p50 ms", grid.P(50), limit.P(50), "≤ 5 ms p50", grid.P(50) <= 5);
            Measure.Report($"grid page + count, {bindings:N0} bindings, {name}", "p99 ms", grid.P(99), limit.P(99), "≤ 25 ms p99", grid.P(99) <= 25);
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
