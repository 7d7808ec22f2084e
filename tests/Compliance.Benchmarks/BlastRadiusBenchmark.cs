using System.Security.Claims;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Benchmarks;

/// <summary>
/// Issue #16: the blast radius of a draft restriction over 1,000,000 bindings in ≤ 2 s. The preview evaluates every
/// active binding twice (as the rules stand and with the draft) and finds alternatives for the ones it breaks. Limit:
/// the same parallel scan of the active bindings with nothing done per row.
/// </summary>
public static class BlastRadiusBenchmark
{
    public static async Task RunAsync(BenchDatabase bench, int bindings, int samples)
    {
        var options = Options.Create(new CheckOptions());
        var service = new BlastRadiusService(bench.Factory, options, TimeProvider.System);
        var officer = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "bench-officer"), new Claim("role", Roles.ComplianceOfficer)], "bench", "name", "role"));
        string provider;
        await using (var db = bench.Create())
        {
            provider = await db.Bindings.GroupBy(b => b.Model!.Provider).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        }

        var today = DateTime.UtcNow.Date;
        var draft = new RestrictionInput(null, provider, Sectors.Defense | Sectors.Intelligence, [], ImpactLevel.None, today, today.AddDays(30), "benchmark");
        var limit = await Measure.SamplesAsync(1, samples, async _ =>
        {
            await using var db = bench.Create();
            var store = CheckStore.For(db);
            var (min, max) = store.BindingIdRange();
            await Task.WhenAll(CheckStore.Ranges(min, max, options.Value.ReaderCount)
                .Select(r => Task.Run(() => store.ScanActiveBindings(DateTime.UtcNow, r.From, r.To, _ => { }, CancellationToken.None))));
        });

        BlastRadius? radius = null;
        var preview = await Measure.SamplesAsync(1, samples, async _ =>
        {
            radius = (await service.OfRestrictionAsync(officer, draft)).Value ?? throw new InvalidOperationException("the preview was refused");
        });

        Console.WriteLine($"  restricting {provider} for defense and intelligence: {radius!.BindingsAffected:N0} of {radius.Bindings:N0} bindings, "
            + $"{radius.WorkloadsAffected:N0} workloads, {radius.Customers.Count:N0} customers; {radius.AffectedWithAlternative:N0} with an alternative; "
            + $"compliance {radius.PercentBefore:0.0}% → {radius.PercentAfter:0.0}%");
        if (radius.BindingsAffected == 0) throw new InvalidOperationException("the draft touched nothing: the preview measured no work");
        Measure.Report($"blast radius of a vendor restriction, {bindings:N0} bindings", "p50 ms", preview.P(50), limit.P(50), "≤ 2 s", preview.P(50) <= 2000);
        Measure.Report($"blast radius of a vendor restriction, {bindings:N0} bindings", "max ms", preview[^1], limit[^1], "≤ 2 s", preview[^1] <= 2000);
    }
}
