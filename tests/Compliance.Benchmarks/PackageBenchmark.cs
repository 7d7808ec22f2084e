using System.Security.Claims;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Audit;
using Compliance.Web.Features.Evidence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Benchmarks;

/// <summary>
/// Issue #16: the evidence package of the whole inventory at 1,000,000 bindings, after a check run has opened its
/// findings: every findings, plans and waivers row, the POA&amp;M and the audit slice written into one ZIP on disk.
/// Limit: reading the same findings and audit events with nothing written.
/// </summary>
public static class PackageBenchmark
{
    public static async Task RunAsync(BenchDatabase bench, int bindings, int samples)
    {
        var check = await new CheckRunner(bench.Factory, Options.Create(new CheckOptions()), TimeProvider.System, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);
        var folder = Directory.CreateTempSubdirectory("evidence-bench-").FullName;
        var anchors = new AuditAnchorLog(Path.Combine(folder, "anchors.log"), null, null, NullLogger<AuditAnchorLog>.Instance);
        var service = new EvidencePackageService(bench.Factory, anchors, TimeProvider.System);
        var auditor = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "bench-auditor"), new Claim("role", Roles.Auditor)], "bench", "name", "role"));
        var today = DateTime.UtcNow.Date;
        long size = 0;
        var limit = await Measure.SamplesAsync(0, samples, async round =>
        {
            await using var db = bench.Create();
            await foreach (var f in db.Findings.AsNoTracking().AsAsyncEnumerable()) { }
            await foreach (var e in db.AuditEvents.AsNoTracking().Where(e => e.At >= today.AddDays(-90)).AsAsyncEnumerable()) { }
        });
        var baseline = Measure.ResetPeakMemory();
        var build = await Measure.SamplesAsync(0, samples, async i =>
        {
            await using var file = new FileStream(Path.Combine(folder, $"package-{i}.zip"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            var outcome = await service.BuildAsync(auditor, new EvidenceScope(null, today.AddDays(-90), today.AddDays(1)), file);
            size = outcome.Value?.SizeBytes ?? throw new InvalidOperationException(outcome.Message);
        });
        var extra = Measure.PeakMemory() - baseline;

        Console.WriteLine($"  whole-inventory package after a check with {check.FindingsOpened:N0} findings opened: {size / 1048576.0:N1} MB ZIP, peak working set +{Measure.MB(extra):N0} MB");
        Measure.Report($"evidence package, whole inventory, {bindings:N0} bindings", "p50 ms", build.P(50), limit.P(50), "—", true);
        Measure.Report($"evidence package, whole inventory, {bindings:N0} bindings", "max ms", build[^1], limit[^1], "—", true);
    }
}
