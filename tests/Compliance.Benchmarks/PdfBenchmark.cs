using Compliance.Domain;
using Compliance.Web.Features.Attestations;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Compliance.Benchmarks;

/// <summary>
/// DESIGN.md: the attestation PDF of 1,000 / 10,000 bindings, warm, ≤ 200 ms / ≤ 1 s: <see cref="AttestationPdf.Render"/>
/// of a snapshot built in memory, <see cref="AttestationArchive.Prepare"/> (PDF/A-3b: output intent, embedded snapshot), then
/// <see cref="AttestationSigner.SignAndSaveAsync"/> without a time-stamping authority (a network round trip, off this path). Limit: PDFsharp writing the same
/// table cells (same fonts, same strings, fixed positions: no measuring, wrapping or page breaking), saved unsigned. Control: the same product path
/// untagged, measured in the same run, so the cost of tagging reads as a ratio whatever the machine's load.
/// </summary>
public static class PdfBenchmark
{
    public static async Task RunAsync(int[] sizes, int samples)
    {
        LiberationSansFontResolver.Install();
        var folder = Directory.CreateTempSubdirectory("compliance-bench-pdf-").FullName;
        try
        {
            using var certificate = AttestationCertificate.Load(new AttestationOptions(), folder, isProduction: false);
            foreach (var bindings in sizes)
            {
                var snapshot = Snapshot(bindings);
                var json = snapshot.ToJson();
                var sha = AttestationSnapshot.Sha256(json);
                var size = 0;
                var pages = 0;
                // Tagged and untagged alternate, so neither gains from the other's JIT warm-up or a quieter minute.
                var phases = new List<double[]>();
                var untaggedSize = 0;
                var controlPhases = new List<double[]>();
                for (var i = 0; i < samples + 2; i++)
                {
                    size = await SignedAsync(snapshot, json, sha, certificate, tagged: true, phases, p => pages = p);
                    untaggedSize = await SignedAsync(snapshot, json, sha, certificate, tagged: false, controlPhases, _ => { });
                }

                var product = phases.Skip(2).Select(p => p.Sum()).Order().ToArray();
                var control = controlPhases.Skip(2).Select(p => p.Sum()).Order().ToArray();
                var limitPages = 0;
                var limit = await Measure.SamplesAsync(2, samples, _ =>
                {
                    limitPages = Cells(snapshot);
                    return Task.CompletedTask;
                });
                Console.WriteLine($"  {bindings:N0} bindings: {pages} pages, {size / 1024:N0} KB signed tagged, {untaggedSize / 1024:N0} KB untagged; the limit wrote {limitPages} pages");
                Console.WriteLine($"  p50 of each phase, tagged / untagged: {Phases(phases)} / {Phases(controlPhases)}");
                Console.WriteLine($"  tagged p50 {product.P(50):0} ms / untagged control p50 {control.P(50):0} ms = {product.P(50) / control.P(50):0.00}× (load {Measure.Load()})");
                var target = bindings <= 1000 ? 200 : 1000;
                Measure.Report($"attestation PDF, {bindings:N0} bindings, warm, signed", "p50 ms", product.P(50), limit.P(50), $"≤ {target} ms", product.P(50) <= target);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The product's path, tagged or not (the control); adds its render / archive / sign-and-save ms to <paramref name="phases"/>.</summary>
    private static async Task<int> SignedAsync(AttestationSnapshot snapshot, string json, string sha, AttestationCertificate certificate, bool tagged,
        List<double[]> phases, Action<int> pages)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var document = AttestationPdf.Render(snapshot, sha, "http://localhost:5080/verify/" + snapshot.VerificationCode, developmentCopy: true, null, tagged);
        pages(document.PageCount);
        var rendered = clock.Elapsed.TotalMilliseconds;
        AttestationArchive.Prepare(document, json, snapshot.VerificationCode, snapshot.AsOf);
        var prepared = clock.Elapsed.TotalMilliseconds;
        var size = (await AttestationSigner.SignAndSaveAsync(document, certificate, null, snapshot.VerificationCode, snapshot.Issuer)).Pdf.Length;
        phases.Add([rendered, prepared - rendered, clock.Elapsed.TotalMilliseconds - prepared]);
        return size;
    }

    /// <summary>Median render, archive and sign-and-save times of the measured samples (the warm-up's two dropped).</summary>
    private static string Phases(List<double[]> phases)
    {
        double P50(int phase) => phases.Skip(2).Select(p => p[phase]).Order().ElementAt((phases.Count - 2) / 2);
        return $"render {P50(0):0} ms, archive {P50(1):0} ms, sign and save {P50(2):0} ms";
    }

    /// <summary>The limit: the binding table's cells drawn at fixed positions, 60 rows a page, saved to memory.</summary>
    private static int Cells(AttestationSnapshot snapshot)
    {
        using var document = new PdfDocument();
        var regular = new XFont(LiberationSansFontResolver.Family, 8, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset));
        var bold = new XFont(LiberationSansFontResolver.Family, 8, XFontStyleEx.Bold, new XPdfFontOptions(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset));
        XGraphics? gfx = null;
        var row = 60;
        foreach (var w in snapshot.Workloads)
        {
            foreach (var b in w.Bindings)
            {
                if (row == 60)
                {
                    gfx?.Dispose();
                    gfx = XGraphics.FromPdfPage(document.AddPage());
                    row = 0;
                }

                var y = 40 + (row++ * 12);
                gfx!.DrawString(b.Model.DisplayName, bold, XBrushes.Black, 40, y);
                gfx.DrawString(b.Model.HostModelId, regular, XBrushes.Black, 150, y);
                gfx.DrawString(b.Model.Hosting + " " + b.Model.Region, regular, XBrushes.Black, 300, y);
                gfx.DrawString(b.Usage.ToString(), regular, XBrushes.Black, 400, y);
                gfx.DrawString(b.Model.Lifecycle.ToString(), regular, XBrushes.Black, 450, y);
                gfx.DrawString(b.Status.ToString(), bold, XBrushes.Black, 500, y);
            }
        }

        gfx?.Dispose();
        var pages = document.PageCount;
        using var stream = new MemoryStream();
        document.Save(stream);
        return pages;
    }

    /// <summary>A customer with <paramref name="bindings"/> bindings over workloads of four each; one in ten fails, one in fifty is waived.</summary>
    public static AttestationSnapshot Snapshot(int bindings)
    {
        var at = new DateTime(2026, 11, 1, 6, 0, 0, DateTimeKind.Utc);
        var models = Enumerable.Range(1, 40).Select(i => new SnapshotModel(i, i % 3 == 0 ? "Anthropic" : "Meta", $"vendor.model-{i}-v{i % 4}:0",
            $"Model {i} Large", $"{i % 4}.0", i % 2 == 0 ? "AWS Bedrock GovCloud" : "Azure OpenAI Government", "us-gov-west-1",
            i % 9 == 0 ? ModelLifecycle.Deprecated : ModelLifecycle.Active)).ToArray();
        var workloads = new List<SnapshotWorkload>();
        var waivers = new List<SnapshotWaiver>();
        long findingId = 0;
        for (var id = 1; id <= bindings; id += 4)
        {
            var list = new List<SnapshotBinding>();
            for (var j = id; j < id + 4 && j <= bindings; j++)
            {
                var model = models[j % models.Length];
                var findings = new List<SnapshotFinding>();
                var status = AttestationResult.Compliant;
                if (j % 10 == 0)
                {
                    var waived = j % 50 == 0;
                    findings.Add(new SnapshotFinding(++findingId, FindingRule.Unapproved, Severity.High, waived ? FindingStatus.Waived : FindingStatus.Open,
                        $"{model.HostModelId} has no approval for IL5 workloads.", at.AddDays(-10), waived ? (int)findingId : null));
                    status = waived ? AttestationResult.CompliantWithWaivers : AttestationResult.NotCompliant;
                    if (waived)
                    {
                        waivers.Add(new SnapshotWaiver((int)findingId, findingId, j, $"workload-{id}", model.HostModelId, FindingRule.Unapproved,
                            "Migration in progress; compensating controls documented.", "officer", at.AddDays(-5), at.AddDays(60)));
                    }
                }

                list.Add(new SnapshotBinding(j, model, Usage.Inference, "Summarises case files for analysts", at.AddDays(-100), status, findings));
            }

            workloads.Add(new SnapshotWorkload(id, $"workload-{id}", "team-a@example.gov", "production", ImpactLevel.IL5,
                [DataCategories.CUI], list));
        }

        var all = workloads.SelectMany(w => w.Bindings).ToList();
        var summary = new[]
        {
            new SnapshotLevelSummary(ImpactLevel.IL5, workloads.Count, all.Count, all.Count(b => b.Status == AttestationResult.Compliant),
                all.Count(b => b.Status == AttestationResult.CompliantWithWaivers), all.Count(b => b.Status == AttestationResult.NotCompliant),
                all.Sum(b => b.Findings.Count(f => f.Status == FindingStatus.Open))),
        };
        return new AttestationSnapshot(AttestationSnapshot.CurrentSchemaVersion, "BENCH-0001", new SnapshotCustomer("acme", "Acme Defense", Sector.Defense),
            at, "officer", "These are all our workloads.", new SnapshotCheckRun(1, at.AddMinutes(-5), at.AddMinutes(-4), CheckTrigger.Scheduled, bindings),
            AttestationResult.NotCompliant, summary, workloads, waivers, [], []);
    }
}
