using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Checks.Run;

/// <summary>Re-checking one model's bindings after its approval changes leaves exactly what a full run leaves.</summary>
public abstract class ModelRecheckTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ModelRecheckTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ModelRecheckTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private CheckRunner _runner = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _runner = new CheckRunner(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private sealed record Row(long Id, int BindingId, FindingRule Rule, Severity Severity, FindingStatus Status, string Detail, int? RestrictionId, int? ApprovalId, bool Resolved);

    private async Task<(List<Row> OfModel, List<Finding> Others)> FindingsAsync(int modelId)
    {
        await using var db = _database.Create();
        var ofModel = await db.Findings.AsNoTracking().Where(f => f.Binding!.ModelId == modelId).OrderBy(f => f.Id)
            .Select(f => new Row(f.Id, f.BindingId, f.Rule, f.Severity, f.Status, f.Detail, f.RestrictionId, f.ApprovalId, f.ResolvedAt != null)).ToListAsync();
        var others = await db.Findings.AsNoTracking().Where(f => f.Binding!.ModelId != modelId).OrderBy(f => f.Id).ToListAsync();
        return (ofModel, others);
    }

    private async Task SetStatusAsync(int approvalId, ApprovalStatus status)
    {
        await using var db = _database.Create("officer");
        var approval = await db.Approvals.SingleAsync(a => a.Id == approvalId);
        approval.Status = status;
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Re_checking_a_model_after_its_approval_is_revoked_and_restored_gives_the_findings_a_full_run_gives()
    {
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);

        // A model whose only counting approval is this one, serving bindings that currently pass.
        int modelId, approvalId, bindings;
        await using (var db = _database.Create())
        {
            var now = _clock.UtcNow;
            var counted = new[] { ApprovalStatus.Approved, ApprovalStatus.Expired };
            var candidates = await db.Approvals.Where(a => a.Status == ApprovalStatus.Approved && a.ValidFrom <= now && (a.ValidUntil == null || a.ValidUntil > now))
                .Where(a => db.Approvals.Count(o => o.ModelId == a.ModelId && counted.Contains(o.Status)) == 1)
                .Select(a => new { a.Id, a.ModelId, Bindings = db.Bindings.Count(b => b.ModelId == a.ModelId && (b.To == null || b.To > now)) })
                .ToListAsync();
            var pick = candidates.OrderByDescending(c => c.Bindings).First();
            (modelId, approvalId, bindings) = (pick.ModelId, pick.Id, pick.Bindings);
        }

        Assert.True(bindings > 0);
        foreach (var status in new[] { ApprovalStatus.Revoked, ApprovalStatus.Approved })
        {
            var (_, othersBefore) = await FindingsAsync(modelId);
            await SetStatusAsync(approvalId, status);

            var result = await _runner.RunForModelAsync(modelId, CancellationToken.None);

            Assert.Equal(bindings, result.BindingsEvaluated);
            if (status == ApprovalStatus.Revoked)
            {
                Assert.True(result.Opened >= bindings, $"revoking the only approval opens an Unapproved finding per binding; opened {result.Opened}");
            }
            else
            {
                Assert.True(result.Resolved >= bindings, $"restoring it resolves them; resolved {result.Resolved}");
            }

            var (afterRecheck, othersAfter) = await FindingsAsync(modelId);
            Assert.Equal(othersBefore.Count, othersAfter.Count);
            Assert.All(othersBefore.Zip(othersAfter), p => Assert.Equivalent(p.First, p.Second)); // other models' findings untouched

            var run = await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);

            Assert.Equal(0, run.FindingsOpened);
            Assert.Equal(0, run.FindingsResolved);
            var (afterFullRun, _) = await FindingsAsync(modelId);
            Assert.Equal(afterFullRun, afterRecheck);
        }
    }
}
