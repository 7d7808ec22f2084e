using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Features.Findings;

namespace Compliance.Components.Tests.Features.Findings;

public sealed class FindingDetailPageTests : ComponentTest
{
    [Fact]
    public async Task A_restricted_finding_explains_the_rule_links_the_binding_and_offers_a_transition_plan()
    {
        await new CheckRunner(Database.Factory, Options.Create(new CheckOptions()), TimeProvider.System, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);
        await using var db = Database.Create();
        var finding = await db.Findings.Include(f => f.Binding!).ThenInclude(b => b.Workload).FirstAsync(f => f.Rule == FindingRule.Restricted);

        var page = Context.Render<FindingDetail>(p => p.Add(x => x.Id, finding.Id));

        page.WaitForAssertion(() => Assert.Contains("What this means", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains(FindingRules.Explanation(FindingRule.Restricted), page.Markup);
        Assert.Contains($"href=\"/inventory/workloads/{finding.Binding!.WorkloadId}\"", page.Markup);
        Assert.Contains($"href=\"/inventory/models/{finding.Binding.ModelId}\"", page.Markup);
        Assert.Contains($"href=\"/inventory/customers/{finding.Binding.Workload!.CustomerId}\"", page.Markup);
        Assert.Contains($"href=\"/restrictions/{finding.RestrictionId}\"", page.Markup);
        Assert.Contains("Plan transition", page.Markup);
        Assert.Contains("Waive", page.Markup);
        Assert.Contains("No waiver has been granted", page.Markup);
    }

    [Fact]
    public void An_unknown_finding_says_so_and_links_back()
    {
        var page = Context.Render<FindingDetail>(p => p.Add(x => x.Id, 987654L));
        page.WaitForAssertion(() => Assert.Contains("There is no finding 987654", page.Markup), TimeSpan.FromSeconds(10));
    }
}
