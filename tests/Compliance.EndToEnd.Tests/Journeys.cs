using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Compliance.EndToEnd.Tests;

/// <summary>Steps every browser journey shares: signing in through the real provider, checking accessibility, screenshots for the docs.</summary>
public static class Journeys
{
    /// <summary>Signs in through the embedded provider's login form; collects the browser's console errors.</summary>
    public static async Task<(IPage Page, List<string> Errors)> SignInAsync(this BrowserHost host, string user)
    {
        var page = await host.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
                Console.Error.WriteLine("BROWSER: " + message.Text);
            }
        };

        await page.GotoAsync("/");
        await page.WaitForURLAsync(new Regex("/connect/login"));
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", user);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(host.Address + "/");
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        // The interactive circuit is up when Blazor has rendered the navigation with the user's menu.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return (page, errors);
    }

    public static async Task AssertAccessibleAsync(IPage page)
    {
        AxeResult result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")
            .ToList();
        Assert.True(serious.Count == 0, $"Accessibility violations on {page.Url}:\n" + string.Join("\n", serious));
    }

    /// <summary>Saves a screenshot under docs/images for the documentation, so the docs show what the app shows.</summary>
    public static async Task ScreenshotForDocsAsync(IPage page, string name)
    {
        var path = Path.Combine(BrowserHost.RepositoryRoot, "docs", "images", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
    }
}
