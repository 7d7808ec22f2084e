using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Data;

/// <summary>Every entity written through the real database (SQLite and PostgreSQL) comes back with every property intact.</summary>
public abstract class EntityRoundTripTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : EntityRoundTripTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : EntityRoundTripTests(DatabaseProvider.PostgreSql);

    private static readonly DateTime T = new(2026, 3, 14, 15, 9, 26, DateTimeKind.Utc);
    private readonly TestDatabase _database = new(provider);

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Every_entity_round_trips_with_all_its_values()
    {
        await using (var db = _database.Create())
        {
            var model = new Model
            {
                Provider = "Meta", HostModelId = "meta.llama3-70b-instruct-v1:0", DisplayName = "Llama 3 70B", Version = "3.0",
                Hosting = "AWS Bedrock GovCloud", Region = "us-gov-west-1", DeprecatedOn = T, RetiredOn = T.AddDays(90), Description = "d",
            };
            var customer = new Customer { Code = "rt", Name = "Round Trip Corp", Sector = Sector.Defense, ContactEmail = "a@b.example" };
            db.AddRange(model, customer);
            await db.SaveChangesAsync();

            var workload = new Workload
            {
                CustomerId = customer.Id, Name = "W", Owner = "o", Environment = "Staging", ImpactLevel = ImpactLevel.IL5,
                DataCategories = DataCategories.CUI | DataCategories.ExportControlled, Description = "w",
            };
            db.Add(workload);
            var source = new ApprovalListSource { Name = "Agency list", Format = ApprovalListFormat.Csv, Url = "https://lists.example/a.csv", CreatedBy = "admin", ETag = "\"x\"" };
            db.Add(source);
            await db.SaveChangesAsync();

            var binding = new Binding { ModelId = model.Id, WorkloadId = workload.Id, Usage = Usage.Agent, Purpose = "p", From = T, To = T.AddDays(1) };
            var approval = new Approval
            {
                ModelId = model.Id, Status = ApprovalStatus.Approved, MaxImpactLevel = ImpactLevel.IL5, DataCategories = DataCategories.CUI,
                Usages = Usages.Inference | Usages.Agent, Sectors = Sectors.Defense | Sectors.Civilian, CustomerIds = [customer.Id, 99],
                ValidFrom = T, ValidUntil = T.AddYears(1), Conditions = "c", Justification = "j", RequestedBy = "officer", RequestedAt = T,
                DecidedBy = "admin", DecidedAt = T, DecisionReason = "r", SourceId = source.Id, SourceEntryKey = "k1",
            };
            var restriction = new Restriction
            {
                Provider = "Meta", Sectors = Sectors.Defense, CustomerIds = [customer.Id], MinImpactLevel = ImpactLevel.IL4,
                EffectiveFrom = T, TransitionDeadline = T.AddDays(30), Reason = "r", CreatedBy = "admin", CreatedAt = T,
            };
            db.AddRange(binding, approval, restriction);
            db.Add(new ApprovalListSync { SourceId = source.Id, StartedAt = T, FinishedAt = T, Status = SyncStatus.Succeeded, ContentSha256 = new string('a', 64), Added = 1, Diff = "{}" });
            var run = new CheckRun { StartedAt = T, FinishedAt = T.AddSeconds(1), Status = CheckRunStatus.Succeeded, Trigger = CheckTrigger.Manual, BindingsEvaluated = 1, OpenCritical = 1 };
            db.Add(run);
            await db.SaveChangesAsync();

            var finding = new Finding
            {
                BindingId = binding.Id, Rule = FindingRule.Restricted, Severity = Severity.Critical, Status = FindingStatus.Waived,
                FirstSeen = T, LastSeen = T, Detail = "d", RestrictionId = restriction.Id, LastCheckRunId = run.Id,
            };
            db.Add(finding);
            var plan = new TransitionPlan
            {
                BindingId = binding.Id, RestrictionId = restriction.Id, TargetModelId = model.Id, Owner = "o", TargetDate = T.AddDays(20),
                Status = TransitionStatus.InProgress, Notes = "n", CreatedBy = "officer", CreatedAt = T,
            };
            db.Add(plan);
            var attestation = new Attestation
            {
                CustomerId = customer.Id, VerificationCode = "ABCD-EFGH", Statement = "s", IssuedBy = "officer", IssuedAt = T, AsOf = T,
                CheckRunId = run.Id, SnapshotJson = "{}", SnapshotSha256 = new string('b', 64), Pdf = [1, 2, 3], PdfSha256 = new string('c', 64),
                IsDevelopmentCopy = true,
            };
            db.Add(attestation);
            await db.SaveChangesAsync();
            db.Add(new Waiver { FindingId = finding.Id, Justification = "j", GrantedBy = "officer", GrantedAt = T, ExpiresAt = T.AddDays(30) });
            db.Add(new AttestationDownload { AttestationId = attestation.Id, DownloadedBy = "customer-acme", At = T, Format = "pdf" });
            await db.SaveChangesAsync();
        }

        await using var read = _database.Create();
        var types = new (string Name, object Value)[]
        {
            ("Model", await read.Models.SingleAsync()),
            ("Customer", await read.Customers.SingleAsync()),
            ("Workload", await read.Workloads.SingleAsync()),
            ("Binding", await read.Bindings.SingleAsync()),
            ("Approval", await read.Approvals.SingleAsync()),
            ("Restriction", await read.Restrictions.SingleAsync()),
            ("ApprovalListSource", await read.ApprovalListSources.SingleAsync()),
            ("ApprovalListSync", await read.ApprovalListSyncs.SingleAsync()),
            ("CheckRun", await read.CheckRuns.SingleAsync()),
            ("Finding", await read.Findings.SingleAsync()),
            ("Waiver", await read.Waivers.SingleAsync()),
            ("TransitionPlan", await read.TransitionPlans.SingleAsync()),
            ("Attestation", await read.Attestations.SingleAsync()),
            ("AttestationDownload", await read.AttestationDownloads.SingleAsync()),
        };

        var approvalBack = (Approval)types[4].Value;
        Assert.Equal(Sectors.Defense | Sectors.Civilian, approvalBack.Sectors);
        Assert.Equal([((Customer)types[1].Value).Id, 99], approvalBack.CustomerIds);
        Assert.Equal(DateTimeKind.Utc, approvalBack.ValidFrom.Kind);
        Assert.Equal(T, approvalBack.ValidFrom);
        Assert.Equal(DataCategories.CUI | DataCategories.ExportControlled, ((Workload)types[2].Value).DataCategories);
        Assert.Equal([1, 2, 3], ((Attestation)types[12].Value).Pdf);
        Assert.Equal(T.AddDays(90), ((Model)types[0].Value).RetiredOn);
        foreach (var (name, value) in types)
        {
            // No property came back as its type's default where a value was written.
            var json = JsonSerializer.Serialize(value, value.GetType());
            Assert.DoesNotContain("\"0001-01-01", json);
            Assert.True(json.Length > 20, $"{name} came back empty");
        }
    }
}
