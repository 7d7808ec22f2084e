using System.Globalization;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Data.DemoData;
using Compliance.Web.Features.Attestations;
using Json.Schema;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace Compliance.Tests.Features.Attestations;

/// <summary>
/// An attestation states only what was evaluated: every binding is evaluated with the rule at issue, so a binding
/// added after the last check run is never printed compliant. Its own fixture: these tests issue for acme, which
/// would supersede the attestation the read-only tests share.
/// </summary>
public sealed class AttestationEvaluationTests(AttestationFixture fixture) : IClassFixture<AttestationFixture>
{
    [Fact]
    public async Task A_restricted_binding_added_after_the_last_check_and_issued_at_once_is_stated_not_compliant_as_restricted()
    {
        var bindingId = await AddBindingAfterTheCheckAsync("Intake triage", modelIsRestricted: true);

        var issued = await fixture.Service.IssueAsync(fixture.AcmeId, "officer", null);
        var (snapshot, lines) = await FilesAsync(issued.Id);

        var binding = snapshot.Workloads.SelectMany(w => w.Bindings).Single(b => b.Id == bindingId);
        Assert.Equal(AttestationResult.NotCompliant, binding.Status);
        var finding = Assert.Single(binding.Findings, f => f.Rule == FindingRule.Restricted);
        Assert.Equal(FindingStatus.Open, finding.Status);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Null(finding.Id); // no check run has recorded it: the evaluation at issue found it
        Assert.Equal(AttestationResult.NotCompliant, snapshot.Result);

        // The PDF's findings table has the row: the new workload, its rule, open.
        Assert.Contains(lines, l => l.Contains("Intake triage", StringComparison.Ordinal) && l.Contains("Restricted", StringComparison.Ordinal)
            && l.Contains("Open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_binding_to_an_unapproved_model_added_after_the_last_check_is_stated_not_compliant_as_unapproved()
    {
        var bindingId = await AddBindingAfterTheCheckAsync("Claims summariser", modelIsRestricted: false);

        var issued = await fixture.Service.IssueAsync(fixture.AcmeId, "officer", null);
        var (snapshot, lines) = await FilesAsync(issued.Id);

        var binding = snapshot.Workloads.SelectMany(w => w.Bindings).Single(b => b.Id == bindingId);
        Assert.Equal(AttestationResult.NotCompliant, binding.Status);
        Assert.Equal(FindingRule.Unapproved, Assert.Single(binding.Findings).Rule);
        Assert.Contains(lines, l => l.Contains("Claims summariser", StringComparison.Ordinal) && l.Contains("Unapproved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_binding_whose_failing_rule_has_a_waived_finding_stays_compliant_with_waivers()
    {
        var (snapshot, lines) = await FilesAsync(fixture.Acme.Id);

        var waived = snapshot.Workloads.SelectMany(w => w.Bindings).Single(b => b.Id == fixture.WaivedBindingId);
        Assert.Equal(AttestationResult.CompliantWithWaivers, waived.Status);
        var finding = waived.Findings.Single(f => f.Rule == FindingRule.UsageNotApproved);
        Assert.Equal(FindingStatus.Waived, finding.Status);
        Assert.NotNull(finding.Id);
        Assert.Equal(Assert.Single(snapshot.Waivers).Id, finding.WaiverId);
        Assert.Contains(lines, l => l.Contains("Usage not", StringComparison.Ordinal) && l.Contains("Waived", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_evaluation_time_is_stated_in_the_json_and_the_pdf()
    {
        var (snapshot, lines) = await FilesAsync(fixture.Acme.Id);
        var json = System.Text.Encoding.UTF8.GetString((await fixture.Service.GetFileAsync(fixture.Acme.Id, "json", CustomerScope.Unrestricted))!.Content);

        var evaluation = snapshot.Evaluation!;
        Assert.Equal(snapshot.AsOf, evaluation.EvaluatedAt);
        Assert.Equal(SnapshotEvaluation.AtIssue, evaluation.Basis);
        Assert.Equal(snapshot.CountBindings(), evaluation.BindingsEvaluated);
        var text = $"Evaluated at {snapshot.AsOf.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC, at issue";
        Assert.Contains($"\"text\": \"{text}\"", json);
        Assert.NotNull(snapshot.CheckRun); // the last check run stays referenced, as evidence
        Assert.Contains(lines, l => l.Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_snapshot_validates_against_the_published_schema_of_its_version()
    {
        var json = System.Text.Encoding.UTF8.GetString((await fixture.Service.GetFileAsync(fixture.Acme.Id, "json", CustomerScope.Unrestricted))!.Content);
        var schemaPath = Path.Combine(RepositoryRoot(), "src", "Compliance.Web", "wwwroot", "schemas",
            $"attestation-v{AttestationSnapshot.CurrentSchemaVersion}.json");
        var schema = JsonSchema.FromText(await File.ReadAllTextAsync(schemaPath));

        var result = schema.Evaluate(System.Text.Json.JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(10)));
    }

    /// <summary>A new acme workload (IL4, CUI) and a binding to it, saved after the fixture's check run: no finding records it.</summary>
    private async Task<int> AddBindingAfterTheCheckAsync(string workloadName, bool modelIsRestricted)
    {
        await using var db = fixture.Database.Create("officer");
        Model model;
        if (modelIsRestricted)
        {
            model = await db.Models.OrderBy(m => m.Id).FirstAsync(m => m.Provider == DemoInventory.RestrictedProvider);
        }
        else
        {
            model = new Model { Provider = "Acme Labs", HostModelId = "acme-labs/summariser-1", DisplayName = "Summariser 1", Hosting = "Self-hosted" };
            db.Models.Add(model);
        }

        var workload = new Workload
        {
            CustomerId = fixture.AcmeId, Name = workloadName, Owner = "Intake team", ImpactLevel = ImpactLevel.IL4, DataCategories = DataCategories.CUI,
        };
        db.Workloads.Add(workload);
        await db.SaveChangesAsync();
        var binding = new Binding { ModelId = model.Id, WorkloadId = workload.Id, Usage = Usage.Inference, Purpose = "triage", From = DateTime.UtcNow.AddMinutes(-1) };
        db.Bindings.Add(binding);
        await db.SaveChangesAsync();
        return binding.Id;
    }

    private async Task<(AttestationSnapshot Snapshot, List<string> Lines)> FilesAsync(int attestationId)
    {
        var pdf = (await fixture.Service.GetFileAsync(attestationId, "pdf", CustomerScope.Unrestricted))!.Content;
        var json = (await fixture.Service.GetFileAsync(attestationId, "json", CustomerScope.Unrestricted))!.Content;
        using var document = PdfDocument.Open(pdf);
        var lines = new List<string>();
        foreach (var page in document.GetPages())
        {
            // page.Text runs words together: rebuild lines from words sharing a baseline.
            lines.AddRange(page.GetWords()
                .GroupBy(w => Math.Round(w.BoundingBox.Bottom, 0))
                .OrderByDescending(g => g.Key)
                .Select(g => string.Join(" ", g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text))));
        }

        return (AttestationSnapshot.FromJson(System.Text.Encoding.UTF8.GetString(json)), lines);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Compliance.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Compliance.sln not found above the test folder.");
    }
}
