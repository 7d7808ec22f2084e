using System.Text.RegularExpressions;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Transitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.EndToEnd.Tests.Features.Checks;

/// <summary>The moment the product is built for: a vendor is restricted and the officer plans each move.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FindingsJourneyTests
{
    private readonly BrowserHost _host;

    public FindingsJourneyTests(BrowserHost host) => _host = host;

    [Fact]
    public async Task An_officer_plans_the_move_of_a_restricted_binding_and_sees_it_on_the_restriction_page()
    {
        // A check now, so the journey does not wait for the scheduled one.
        await _host.Services.GetRequiredService<CheckRunner>().RunAsync(CheckTrigger.Manual, CancellationToken.None);
        var (page, errors) = await _host.SignInAsync("officer");

        await page.GotoAsync("/findings?rule=Restricted");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Findings");
        await Expect(page.GetByText("Rule: Restricted model")).ToBeVisibleAsync();
        var links = page.Locator(".mud-table-body tr td:first-child a");
        await Expect(links.First).ToBeVisibleAsync();
        await Journeys.AssertAccessibleAsync(page);

        // The first listed finding whose workload has an allowed alternative and no plan yet.
        var (findingId, workload) = await PlannableAsync(await links.AllInnerTextsAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = findingId.ToString(), Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/findings/{findingId}$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Restricted model");
        await Expect(page.GetByText("What this means")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Plan transition" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByText("Move to")).ToBeVisibleAsync();
        await Expect(dialog.Locator("input[type=radio]").First).ToBeCheckedAsync(); // the first suggestion
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Plan", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Transition planned.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Planned" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Restriction #\\d+") }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/restrictions/\\d+$"));
        await Expect(page.GetByText("Still to move, by customer")).ToBeVisibleAsync();
        var row = page.Locator("tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = workload, Exact = true }) });
        await Expect(row.GetByRole(AriaRole.Cell, new() { Name = "Planned", Exact = true })).ToBeVisibleAsync();

        // The filled success snackbar is the theme's (its contrast is the layout's concern); scan the page once it is gone.
        await Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Journeys.AssertAccessibleAsync(page);
        await Journeys.ScreenshotForDocsAsync(page, "restriction.png");
        Assert.Empty(errors);
    }

    private async Task<(long FindingId, string Workload)> PlannableAsync(IReadOnlyList<string> listed)
    {
        var transitions = _host.Services.GetRequiredService<TransitionService>();
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        foreach (var id in listed.Select(long.Parse))
        {
            var finding = await db.Findings.Where(f => f.Id == id).Select(f => new { f.BindingId, Workload = f.Binding!.Workload!.Name }).SingleAsync();
            var planned = await db.TransitionPlans.AnyAsync(p => p.BindingId == finding.BindingId && p.Status != TransitionStatus.Cancelled);
            if (!planned && (await transitions.SuggestAsync(finding.BindingId)).Count > 0)
            {
                return (id, finding.Workload);
            }
        }

        throw new InvalidOperationException("No listed restricted finding has an allowed alternative.");
    }
}
