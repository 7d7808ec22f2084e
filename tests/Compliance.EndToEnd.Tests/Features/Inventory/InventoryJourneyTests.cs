using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Compliance.EndToEnd.Tests.Features.Inventory;

/// <summary>The officer's main question: which workloads, of which customers, does this model serve?</summary>
[Collection(BrowserCollection.Name)]
public sealed class InventoryJourneyTests
{
    private readonly BrowserHost _host;

    public InventoryJourneyTests(BrowserHost host) => _host = host;

    [Fact]
    public async Task An_officer_finds_every_workload_a_model_serves_across_customers()
    {
        var (page, errors) = await _host.SignInAsync("officer");

        await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Models");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "anthropic.claude-3-5-sonnet-20240620-v1:0" }).First
            .GetByRole(AriaRole.Link, new() { Name = "Claude 3.5 Sonnet" }).ClickAsync();

        await page.WaitForURLAsync(new Regex("/inventory/models/\\d+$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Claude 3.5 Sonnet");
        await Expect(page.GetByText("What this model serves")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Acme Defense Systems" }).First).ToBeVisibleAsync();
        await Expect(page.Locator("table[aria-label='Bindings'] tbody tr, .mud-table-container tbody tr").First).ToBeVisibleAsync();

        await Journeys.AssertAccessibleAsync(page);
        await Journeys.ScreenshotForDocsAsync(page, "model.png");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_bindings_grid_filters_in_the_database_and_opens_the_workload()
    {
        var (page, errors) = await _host.SignInAsync("auditor");

                await page.GetByRole(AriaRole.Link, new() { Name = "Bindings", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Bindings");
        await Expect(page.GetByText("Add binding")).ToHaveCountAsync(0); // auditors read, never change
        var firstWorkload = page.Locator(".mud-table-body tr a[href*='/inventory/workloads/']").First;
        await Expect(firstWorkload).ToBeVisibleAsync();
        await firstWorkload.ClickAsync();
        await page.WaitForURLAsync(new Regex("/inventory/workloads/\\d+$"));
        await Expect(page.GetByText("Model history")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_customer_is_refused_the_inventory_pages()
    {
        var (page, _) = await _host.SignInAsync("customer-globex");

        await page.GotoAsync("/inventory/bindings");
        await Expect(page.GetByText("Acme Defense Systems")).ToHaveCountAsync(0);
        await Expect(page.Locator("h1")).Not.ToHaveTextAsync("Bindings");
        var export = await page.APIRequest.GetAsync("/inventory/export/bindings.csv");
        Assert.Equal(403, export.Status);
    }
}
