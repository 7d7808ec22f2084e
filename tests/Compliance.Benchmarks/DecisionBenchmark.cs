using Compliance.Domain;
using Compliance.Web.Features.Checks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Benchmarks;

/// <summary>
/// DESIGN.md: the decision "may model M serve workload W?" in-process ≤ 25 µs p50, through <see cref="DecisionService"/>
/// as the endpoint calls it. Limit: one prepared primary-key read of the workload plus the evaluation against reference
/// data already in memory, with nothing around it. (Over HTTP: scripts/load.sh.)
/// </summary>
public static class DecisionBenchmark
{
    public static async Task RunAsync(BenchDatabase bench, int samples)
    {
        var options = Options.Create(new CheckOptions());
        var cache = new ReferenceDataCache(bench.Factory, TimeProvider.System);
        using var service = new DecisionService(cache, bench.Options, options, TimeProvider.System);
        ReferenceData reference;
        int maxWorkload;
        await using (var db = bench.Create())
        {
            reference = await ReferenceData.LoadAsync(db, DateTime.UtcNow, CancellationToken.None);
            maxWorkload = await db.Workloads.MaxAsync(w => w.Id);
        }

        var random = new Random(7);
        var models = reference.Models.Select(m => m.Id).ToArray();
        var pairs = Enumerable.Range(0, 4096).Select(_ => (Model: models[random.Next(models.Length)], Workload: random.Next(1, maxWorkload + 1))).ToArray();

        // Limit: the prepared read and the rule, nothing else.
        // The engine's own ADO.NET connection (SQLite or PostgreSQL), opened outside EF Core.
        await using var raw = bench.Create();
        await raw.Database.OpenConnectionAsync();
        await using var cmd = raw.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = """SELECT w."CustomerId", c."Sector", w."ImpactLevel", w."DataCategories" FROM "Workloads" w JOIN "Customers" c ON c."Id" = w."CustomerId" WHERE w."Id" = @id""";
        var id = cmd.CreateParameter();
        id.ParameterName = "@id";
        id.Value = 0; // typed before preparing (PostgreSQL prepares with the parameter's type)
        cmd.Parameters.Add(id);
        await cmd.PrepareAsync();
        var window = options.Value.ExpiringSoonWindow;
        var allowed = 0;
        var limit = await Measure.SamplesAsync(2000, samples, async i =>
        {
            var (model, workload) = pairs[i % pairs.Length];
            id.Value = workload;
            await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow);
            if (await r.ReadAsync())
            {
                var facts = new BindingFacts(model, r.GetInt32(0), (Sector)r.GetInt32(1), (ImpactLevel)r.GetInt32(2), (DataCategories)r.GetInt32(3), Usage.Inference);
                allowed += reference.Evaluate(facts, DateTime.UtcNow, window).Allowed ? 1 : 0;
            }
        });

        var product = await Measure.SamplesAsync(2000, samples, async i =>
        {
            var (model, workload) = pairs[i % pairs.Length];
            var evaluation = await service.DecideAsync(model, workload, Usage.Inference, CancellationToken.None)
                ?? throw new InvalidOperationException($"no decision for model {model}, workload {workload}");
            allowed += evaluation.Allowed ? 1 : 0;
        });
        Console.WriteLine($"  {samples:N0} decisions each way over {pairs.Length:N0} (model, workload) pairs; {allowed:N0} allowed in all");
        Measure.Report("decision in-process (DecisionService)", "p50 µs", product.P(50) * 1000, limit.P(50) * 1000, "≤ 25 µs p50", product.P(50) * 1000 <= 25);
        Measure.Report("decision in-process (DecisionService)", "p99 µs", product.P(99) * 1000, limit.P(99) * 1000, "(no target)", true);
    }
}
