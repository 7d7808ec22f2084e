using System.Diagnostics;
using Compliance.Domain;
using Compliance.Web.Features.Attestations;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace Compliance.Tests.Features.Attestations;

public sealed class AttestationPdfTests(ITestOutputHelper output)
{
    /// <summary>A customer with <paramref name="bindings"/> bindings over workloads of five bindings each; every tenth not compliant.</summary>
    internal static AttestationSnapshot Synthetic(int bindings)
    {
        var asOf = new DateTime(2026, 11, 1, 6, 0, 0, DateTimeKind.Utc);
        var levels = new[] { ImpactLevel.IL6, ImpactLevel.IL5, ImpactLevel.IL4, ImpactLevel.IL2 };
        var workloads = Enumerable.Range(0, bindings / 5).Select(w => new SnapshotWorkload(
            w, $"Workload {w:D5}", "Platform team", "Production", levels[w % levels.Length], [DataCategories.CUI, DataCategories.PII],
            Enumerable.Range(0, 5).Select(i =>
            {
                var id = w * 5 + i;
                List<SnapshotFinding> findings = id % 10 == 0
                    ? [new(id, FindingRule.Restricted, Severity.Critical, FindingStatus.Open, "The provider is restricted for defense work.", asOf.AddDays(-3), null)]
                    : [];
                return new SnapshotBinding(id,
                    new SnapshotModel(id % 40, "Provider", $"provider.model-{id % 40:D2}-20250101-v1:0", $"Model {id % 40}", "1", "AWS Bedrock GovCloud",
                        "us-gov-west-1", ModelLifecycle.Active),
                    Usage.Inference, "Purpose", asOf.AddDays(-100), SnapshotBuilder.StatusOf(findings), findings);
            }).ToList())).ToList();
        var all = workloads.SelectMany(w => w.Bindings).ToList();
        return new AttestationSnapshot(AttestationSnapshot.CurrentSchemaVersion, "ABCD-EFGH-JK23",
            new SnapshotCustomer("synthetic", "Synthetic Customer", Sector.Defense), asOf, "officer", "We attest.", null,
            SnapshotBuilder.Overall(all.Select(b => b.Status)),
            [new(ImpactLevel.IL5, workloads.Count, all.Count, all.Count(b => b.Status == AttestationResult.Compliant), 0,
                all.Count(b => b.Status == AttestationResult.NotCompliant), all.Count(b => b.Findings.Count > 0))],
            workloads, [], [], []);
    }

    [Fact]
    public void Long_tables_break_across_pages_with_the_header_repeated_and_every_page_numbered()
    {
        var snapshot = Synthetic(1000);
        var document = AttestationPdf.Render(snapshot, new string('a', 64), "https://example.test/verify/ABCD-EFGH-JK23", developmentCopy: false);
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);

        using var pdf = PdfDocument.Open(stream.ToArray());
        Assert.True(pdf.NumberOfPages > 20);
        var tablePages = 0;
        foreach (var page in pdf.GetPages())
        {
            var words = page.GetWords().Select(w => w.Text).ToList();
            var text = string.Join(" ", words);
            Assert.Contains($"Page {page.Number} of {pdf.NumberOfPages}", text);
            Assert.Contains("ABCD-EFGH-JK23", text);
            Assert.DoesNotContain("DEVELOPMENT", text);
            if (text.Contains("Workload 00", StringComparison.Ordinal))
            {
                tablePages++;
                Assert.True(text.Contains("Model and host model id", StringComparison.Ordinal) || text.Contains("Workload · model", StringComparison.Ordinal),
                    $"page {page.Number} has no table header");
            }
        }

        Assert.True(tablePages > 10);
        var all = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.All(snapshot.Workloads, w => Assert.Contains(w.Name, all));
    }

    [Fact]
    public void Rendering_time_grows_linearly_with_the_bindings()
    {
        var snapshot = Synthetic(1000);
        Render(snapshot);
        var clock = Stopwatch.StartNew();
        var (pages, bytes) = Render(snapshot);
        clock.Stop();

        output.WriteLine($"1,000 bindings: {clock.ElapsedMilliseconds} ms, {pages} pages, {bytes:N0} bytes");
        var large = Synthetic(10_000);
        var largeClock = Stopwatch.StartNew();
        var (largePages, largeBytes) = Render(large);
        largeClock.Stop();
        output.WriteLine($"10,000 bindings: {largeClock.ElapsedMilliseconds} ms, {largePages} pages, {largeBytes:N0} bytes");
        // The targets (200 ms / 1 s, DESIGN.md) are measured by the benchmark project; with PDF/UA tagging they are missed
        // (docs/performance.md). This guards against what load cannot explain: a step quadratic in the rows or objects.
        // Ten times the bindings took 7-8 times as long here, whatever the load; a strongly quadratic step makes it
        // 30-100 times (the signer's old cross-reference rewrite was one, on the signed path that the benchmark covers).
        Assert.True(largeClock.ElapsedMilliseconds < 20 * Math.Max(clock.ElapsedMilliseconds, 1),
            $"1,000 bindings {clock.ElapsedMilliseconds} ms, 10,000 bindings {largeClock.ElapsedMilliseconds} ms");
        Assert.True(clock.ElapsedMilliseconds < 10_000, $"{clock.ElapsedMilliseconds} ms");
    }

    private static (int Pages, long Bytes) Render(AttestationSnapshot snapshot)
    {
        var document = AttestationPdf.Render(snapshot, new string('a', 64), "https://example.test/verify/ABCD-EFGH-JK23", developmentCopy: true);
        var pages = document.PageCount;
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return (pages, stream.Length);
    }
}
