using Compliance.Domain;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Transitions;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Components.Tests.Features.Transitions;

/// <summary>Completing many transition plans on a restriction's page: ticked in the grid, or named in an uploaded CSV of moves (all or none).</summary>
public sealed class TransitionCompletionTests : ComponentTest
{
    private async Task<(int RestrictionId, int[] Plans)> ThreePlansAsync()
    {
        await new CheckRunner(Database.Factory, Options.Create(new CheckOptions()), TimeProvider.System, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);
        await using var db = Database.Create("officer");
        var restriction = await db.Restrictions.SingleAsync();
        var bindings = await db.Findings.Where(f => f.Rule == FindingRule.Restricted && f.Status == FindingStatus.Open)
            .OrderBy(f => f.BindingId).Select(f => f.BindingId).Distinct().Take(3).ToListAsync();
        var target = await db.Models.Where(m => m.Provider != restriction.Provider).Select(m => m.Id).FirstAsync();
        var plans = bindings.Select(b => new TransitionPlan
        {
            BindingId = b, RestrictionId = restriction.Id, TargetModelId = target, Owner = "officer", TargetDate = restriction.TransitionDeadline,
            Status = TransitionStatus.Planned, CreatedBy = "officer", CreatedAt = DateTime.UtcNow,
        }).ToList();
        db.TransitionPlans.AddRange(plans);
        await db.SaveChangesAsync();
        return (restriction.Id, [.. plans.Select(p => p.Id)]);
    }

    private async Task<Dictionary<int, TransitionStatus>> StatusesAsync(int[] plans)
    {
        await using var db = Database.Create();
        return await db.TransitionPlans.Where(p => plans.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Status);
    }

    [Fact]
    public async Task Ticking_two_plans_and_completing_them_marks_those_two_done_and_leaves_the_third()
    {
        var (restrictionId, plans) = await ThreePlansAsync();
        RenderProviders();
        var page = Context.Render<RestrictionPlans>(p => p.Add(x => x.Id, restrictionId));
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("input[type=checkbox]").Count), TimeSpan.FromSeconds(10));
        Assert.Contains("Complete selected (0)", page.Markup);

        await page.InvokeAsync(() => page.FindAll("input[type=checkbox]")[0].Change(true));
        await page.InvokeAsync(() => page.FindAll("input[type=checkbox]")[1].Change(true));
        page.WaitForAssertion(() => Assert.Contains("Complete selected (2)", page.Markup));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Contains("Complete selected")).Click());

        await page.WaitForAssertionAsync(async () =>
            Assert.Equal(2, (await StatusesAsync(plans)).Values.Count(s => s == TransitionStatus.Done)), TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await StatusesAsync(plans)).Values.Count(s => s == TransitionStatus.Planned));
        page.WaitForAssertion(() => Assert.Contains("Complete selected (0)", page.Markup));
    }

    [Fact]
    public async Task A_csv_of_moves_completes_the_plans_it_names()
    {
        var (restrictionId, plans) = await ThreePlansAsync();
        RenderProviders();
        var page = Context.Render<RestrictionPlans>(p => p.Add(x => x.Id, restrictionId));
        page.WaitForAssertion(() => Assert.Contains("Upload CSV of moves", page.Markup), TimeSpan.FromSeconds(10));

        var csv = $"{TransitionMovesCsv.Header}\n{plans[0]},\n{plans[2]},{DateTime.UtcNow:yyyy-MM-dd}\n";
        await page.InvokeAsync(() => page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "moves.csv", contentType: "text/csv")));

        await page.WaitForAssertionAsync(async () =>
            Assert.Equal(TransitionStatus.Done, (await StatusesAsync(plans))[plans[2]]), TimeSpan.FromSeconds(10));
        var statuses = await StatusesAsync(plans);
        Assert.Equal((TransitionStatus.Done, TransitionStatus.Planned), (statuses[plans[0]], statuses[plans[1]]));
    }

    [Fact]
    public async Task A_csv_naming_an_unknown_plan_completes_nothing_and_says_which_row()
    {
        var (restrictionId, plans) = await ThreePlansAsync();
        RenderProviders();
        var page = Context.Render<RestrictionPlans>(p => p.Add(x => x.Id, restrictionId));
        page.WaitForAssertion(() => Assert.Contains("Upload CSV of moves", page.Markup), TimeSpan.FromSeconds(10));

        var csv = $"{TransitionMovesCsv.Header}\n{plans[0]},\n999999,\n";
        await page.InvokeAsync(() => page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "moves.csv", contentType: "text/csv")));

        page.WaitForAssertion(() => Assert.Contains("Nothing was completed", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains("999999", page.Markup);
        Assert.All((await StatusesAsync(plans)).Values, s => Assert.Equal(TransitionStatus.Planned, s));
    }
}
