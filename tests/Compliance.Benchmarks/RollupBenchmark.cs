using Compliance.Domain;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Dashboard;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Benchmarks;

/// <summary>
/// Issue #16: the daily posture roll-up (per customer and for the whole inventory) over 1,000,000 bindings after a check,
/// as the nightly job and every check run it: counted, today's rows replaced, old days pruned. Limit: the one scan it
/// cannot avoid, the bindings in force counted per customer.
/// </summary>
public static class RollupBenchmark
{
    public static async Task RunAsync(BenchDatabase bench, int bindings, int samples)
    {
        await new CheckRunner(bench.Factory, Options.Create(new CheckOptions()), TimeProvider.System, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);

        var limit = await Measure.SamplesAsync(1, samples, async _ =>
        {
            await using var db = bench.Create();
            var now = DateTime.UtcNow;
            var groups = await db.Bindings.AsNoTracking().Where(b => b.From <= now && (b.To == null || b.To > now))
                .GroupBy(b => b.CustomerId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            if (groups.Count == 0) throw new InvalidOperationException("no bindings counted");
        });

        var rollup = new PostureRollup(bench.Factory, TimeProvider.System, NullLogger<PostureRollup>.Instance);
        IReadOnlyList<PostureDay> rows = [];
        var timed = await Measure.SamplesAsync(1, samples, async _ => rows = await rollup.RollUpAsync());

        var all = rows[0];
        Console.WriteLine($"  {rows.Count - 1:N0} customers; whole inventory: {all.Bindings:N0} bindings, {all.Compliant:N0} compliant, "
            + $"{all.NotCompliant:N0} not compliant, {all.OpenFindings:N0} open findings");
        if (all.Bindings == 0) throw new InvalidOperationException("the roll-up counted nothing");
        Measure.Report($"daily posture roll-up, {bindings:N0} bindings", "p50 ms", timed.P(50), limit.P(50), "none (≤ 2 s keeps it well under a check)", timed.P(50) <= 2000);
        Measure.Report($"daily posture roll-up, {bindings:N0} bindings", "max ms", timed[^1], limit[^1], "none (≤ 2 s keeps it well under a check)", timed[^1] <= 2000);
    }
}
