using System.Diagnostics;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Data.DemoData;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Features.Checks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Attestations;

/// <summary>
/// A migrated database with the demo inventory plus what a check run would have left for acme: a
/// succeeded run, open, waived and warning findings, a waiver and a transition plan; and one attestation
/// issued for acme that read-only tests share.
/// </summary>
public class AttestationFixture : IAsyncLifetime
{
    /// <summary>On SQLite (xunit builds class fixtures through their one public constructor, which must take nothing).</summary>
    public AttestationFixture()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected AttestationFixture(DatabaseProvider provider) => Database = new(provider);

    public TestDatabase Database { get; }

    public AttestationService Service { get; private set; } = null!;

    public AttestationCertificateSource Certificates { get; private set; } = null!;

    public AttestationRow Acme { get; private set; } = null!;

    public int AcmeId { get; private set; }

    public int GlobexId { get; private set; }

    public int InitechId { get; private set; }

    /// <summary>The acme binding whose UsageNotApproved finding is waived.</summary>
    public int WaivedBindingId { get; private set; }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Database.SeedDemoAsync();
        await SeedCheckResultsAsync();
        await using (var db = Database.Create())
        {
            var ids = await db.Customers.OrderBy(c => c.Id).Select(c => new { c.Id, c.Code }).ToListAsync();
            AcmeId = ids.Single(c => c.Code == "acme").Id;
            GlobexId = ids.Single(c => c.Code == "globex").Id;
            InitechId = ids.First(c => c.Code != "acme" && c.Code != "globex").Id;
        }

        Service = CreateService(Database, out var certificates);
        Certificates = certificates;
        Acme = await Service.IssueAsync(AcmeId, "officer", null);
    }

    public static AttestationService CreateService(TestDatabase database, out AttestationCertificateSource certificates,
        Action<AttestationOptions>? configure = null)
    {
        var factory = new Factory(database);
        var settings = new AttestationOptions { BaseUrl = "https://compliance.example.test", DataFolder = database.Folder };
        configure?.Invoke(settings);
        var options = Microsoft.Extensions.Options.Options.Create(settings);
        var environment = new HostingEnvironment { EnvironmentName = "Development", ContentRootPath = database.Folder };
        certificates = new AttestationCertificateSource(options, database.Options, environment);
        return new AttestationService(factory, new SnapshotBuilder(factory, Microsoft.Extensions.Options.Options.Create(new Compliance.Web.Features.Checks.Run.CheckOptions())),
            new Compliance.Web.Auth.CustomerScopes(factory, new Compliance.Web.Auth.OidcSettings()), certificates, options, TimeProvider.System,
            NullLogger<AttestationService>.Instance);
    }

    private async Task SeedCheckResultsAsync()
    {
        await using var db = Database.Create("system:check-run");
        var now = DateTime.UtcNow;
        var run = new CheckRun
        {
            StartedAt = now.AddMinutes(-10), FinishedAt = now.AddMinutes(-9), Status = CheckRunStatus.Succeeded,
            Trigger = CheckTrigger.Scheduled, BindingsEvaluated = await db.Bindings.CountAsync(),
        };
        db.CheckRuns.Add(run);
        await db.SaveChangesAsync();

        var acme = await db.Bindings.Where(b => b.Workload!.Customer!.Code == "acme" && b.To == null)
            .OrderBy(b => b.Id).Select(b => new { b.Id, b.Model!.Provider, b.ModelId }).ToListAsync();
        var (waivedId, warnedId) = await MakeRuleMatchSeededFindingsAsync(db, now);
        WaivedBindingId = waivedId;
        var findings = new List<Finding>();
        foreach (var b in acme.Where(b => b.Provider == DemoInventory.RestrictedProvider))
        {
            findings.Add(Finding(b.Id, FindingRule.Restricted, Severity.Critical, FindingStatus.Open,
                "The contracting office directs that this vendor's models no longer serve defense work; move by the deadline.", run.Id));
        }

        var other = acme.Where(b => b.Provider != DemoInventory.RestrictedProvider && b.Id != waivedId && b.Id != warnedId).ToList();
        var waived = Finding(waivedId, FindingRule.UsageNotApproved, Severity.High, FindingStatus.Waived,
            "The approval covers inference and agents, not coding assistants.", run.Id);
        findings.Add(waived);
        findings.Add(Finding(warnedId, FindingRule.ApprovalExpiringSoon, Severity.Warning, FindingStatus.Open,
            "The approval ends in 21 days.", run.Id));
        findings.Add(Finding(other[0].Id, FindingRule.ImpactLevelExceeded, Severity.High, FindingStatus.Resolved,
            "Resolved earlier: must not appear.", run.Id));
        db.Findings.AddRange(findings);
        await db.SaveChangesAsync();

        db.Waivers.Add(new Waiver
        {
            FindingId = waived.Id, Justification = "Compensating control: the coding assistant runs in an isolated enclave with human review of every change.",
            GrantedBy = "officer", GrantedAt = now.AddDays(-2), ExpiresAt = now.AddDays(60),
        });
        if (acme.FirstOrDefault(b => b.Provider == DemoInventory.RestrictedProvider) is { } restricted)
        {
            var target = await db.Models.Where(m => m.Provider != DemoInventory.RestrictedProvider && m.Hosting == "AWS Bedrock GovCloud")
                .Select(m => m.Id).FirstAsync();
            db.TransitionPlans.Add(new TransitionPlan
            {
                BindingId = restricted.Id, RestrictionId = await db.Restrictions.Select(r => r.Id).FirstAsync(), TargetModelId = target,
                Owner = "Platform team", TargetDate = now.Date.AddDays(20), Status = TransitionStatus.InProgress,
                CreatedBy = "officer", CreatedAt = now.AddDays(-1),
            });
        }

        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The snapshot evaluates at issue, so the findings seeded below must be what the rule says: a compliant acme binding
    /// is given a usage its model's approval does not cover (UsageNotApproved, then waived), and the approvals of another
    /// compliant binding's model end in 21 days (ApprovalExpiringSoon, a warning). Returns those two bindings.
    /// </summary>
    private static async Task<(int Waived, int Warned)> MakeRuleMatchSeededFindingsAsync(ComplianceDb db, DateTime now)
    {
        var reference = await ReferenceData.LoadAsync(db, now, CancellationToken.None);
        var rows = (await db.Bindings.Where(b => b.Workload!.Customer!.Code == "acme" && b.To == null && b.Model!.Provider != DemoInventory.RestrictedProvider)
                .OrderBy(b => b.Id)
                .Select(b => new { b.Id, b.ModelId, b.WorkloadId, b.Usage, b.Workload!.CustomerId, b.Workload.Customer!.Sector, b.Workload.ImpactLevel, b.Workload.DataCategories })
                .ToListAsync())
            .Select(b => (b.Id, b.ModelId, b.WorkloadId, b.Usage, Facts: new BindingFacts(b.ModelId, b.CustomerId, b.Sector, b.ImpactLevel, b.DataCategories, b.Usage)))
            .ToList();
        var window = BindingEvaluator.DefaultExpiringSoonWindow;
        var compliant = rows.Where(r => reference.Evaluate(r.Facts, now, window).Reasons.Count == 0).ToList();

        var (waived, usage) = compliant
            .SelectMany(r => Enum.GetValues<Usage>().Where(u => u != r.Usage).Select(u => (Row: r, Usage: u)))
            .First(c => reference.Evaluate(c.Row.Facts with { Usage = c.Usage }, now, window).Reasons is [{ Rule: FindingRule.UsageNotApproved }]
                && !rows.Any(r => r.ModelId == c.Row.ModelId && r.WorkloadId == c.Row.WorkloadId && r.Usage == c.Usage));
        (await db.Bindings.SingleAsync(b => b.Id == waived.Id)).Usage = usage;

        var warned = compliant.First(r => r.ModelId != waived.ModelId);
        foreach (var approval in await db.Approvals.Where(a => a.ModelId == warned.ModelId && a.Status == ApprovalStatus.Approved).ToListAsync())
        {
            approval.ValidUntil = now.AddDays(21);
        }

        await db.SaveChangesAsync();
        return (waived.Id, warned.Id);
    }

    private static Finding Finding(int bindingId, FindingRule rule, Severity severity, FindingStatus status, string detail, int runId) => new()
    {
        BindingId = bindingId, Rule = rule, Severity = severity, Status = status, Detail = detail,
        FirstSeen = DateTime.UtcNow.AddDays(-5), LastSeen = DateTime.UtcNow.AddMinutes(-9), LastCheckRunId = runId,
        ResolvedAt = status == FindingStatus.Resolved ? DateTime.UtcNow.AddDays(-1) : null,
    };

    public async Task DisposeAsync()
    {
        Certificates?.Dispose();
        await Database.DisposeAsync();
    }

    public static (int ExitCode, string Output) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(60_000);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    internal sealed class Factory(TestDatabase database) : IDbContextFactory<ComplianceDb>
    {
        public ComplianceDb CreateDbContext() => database.Create();
    }
}

/// <summary>The same fixture on PostgreSQL.</summary>
public sealed class PostgreSqlAttestationFixture() : AttestationFixture(DatabaseProvider.PostgreSql);
