using Compliance.Data;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Checks.Run;

/// <summary>In the real app host: revoking a model's approval re-checks that model's bindings at once, without waiting for a full run.</summary>
public sealed class CheckOnChangeTests : IClassFixture<ComplianceAppFactory>
{
    private readonly ComplianceAppFactory _app;

    public CheckOnChangeTests(ComplianceAppFactory app) => _app = app;

    [Fact]
    public async Task Revoking_an_approval_opens_findings_on_that_models_bindings_within_seconds()
    {
        var services = _app.Services;
        await services.GetRequiredService<CheckRunner>().RunAsync(CheckTrigger.Manual, CancellationToken.None);
        var factory = services.GetRequiredService<IDbContextFactory<ComplianceDb>>();
        int approvalId, modelId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            // A model with active bindings resting on exactly one approval, none of them failing yet.
            var candidate = await db.Approvals.Where(a => a.Status == ApprovalStatus.Approved && a.ValidUntil > DateTime.UtcNow.AddDays(60)
                    && db.Approvals.Count(o => o.ModelId == a.ModelId) == 1
                    && db.Bindings.Any(b => b.ModelId == a.ModelId && b.To == null)
                    && !db.Findings.Any(f => f.Binding!.ModelId == a.ModelId && f.Status == FindingStatus.Open))
                .Select(a => new { a.Id, a.ModelId }).FirstAsync();
            (approvalId, modelId) = (candidate.Id, candidate.ModelId);
        }

        var revoked = await services.GetRequiredService<ApprovalService>().RevokeAsync(People.Admin, approvalId, "vendor terms changed");
        Assert.True(revoked.Succeeded, string.Join(" ", revoked.Errors));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        int unapproved;
        do
        {
            await Task.Delay(100);
            await using var db = await factory.CreateDbContextAsync();
            unapproved = await db.Findings.CountAsync(f => f.Binding!.ModelId == modelId && f.Status == FindingStatus.Open
                && (f.Rule == FindingRule.Unapproved || f.Rule == FindingRule.ApprovalExpired));
        }
        while (unapproved == 0 && DateTime.UtcNow < deadline);

        await using var read = await factory.CreateDbContextAsync();
        Assert.Equal(await read.Bindings.CountAsync(b => b.ModelId == modelId && b.To == null), unapproved);
    }
}
