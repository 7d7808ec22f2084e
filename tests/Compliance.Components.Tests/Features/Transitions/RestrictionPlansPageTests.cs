using Compliance.Domain;
using Compliance.Web.Features.Transitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Components.Tests.Features.Transitions;

public sealed class RestrictionPlansPageTests : ComponentTest
{
    [Fact]
    public async Task Planning_all_with_the_first_suggestion_plans_every_affected_binding_it_can_and_shows_the_count()
    {
        await new CheckRunner(Database.Factory, Options.Create(new CheckOptions()), TimeProvider.System, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);
        await using var db = Database.Create();
        var restriction = await db.Restrictions.SingleAsync();
        var affected = await db.Findings.CountAsync(f => f.Rule == FindingRule.Restricted && f.Status == FindingStatus.Open);

        var page = Context.Render<RestrictionPlans>(p => p.Add(x => x.Id, restriction.Id));
        page.WaitForAssertion(() => Assert.Contains($"Affected bindings ({affected})", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains("Still to move, by customer", page.Markup);
        Assert.Contains("Acme Defense Systems", page.Markup);

        page.FindAll("button").Single(b => b.TextContent.Contains("Plan all with the first suggestion")).Click();

        page.WaitForAssertion(() => Assert.Contains("Planned ", page.Markup), TimeSpan.FromSeconds(30));
        page.WaitForAssertion(() => Assert.DoesNotContain("Stop planning", page.Markup), TimeSpan.FromSeconds(30));
        var plans = await db.TransitionPlans.CountAsync(p => p.RestrictionId == restriction.Id && p.Status == TransitionStatus.Planned);
        Assert.True(plans > 0);
        Assert.Contains($"Planned {plans} of {affected}", page.Markup);
    }
}
