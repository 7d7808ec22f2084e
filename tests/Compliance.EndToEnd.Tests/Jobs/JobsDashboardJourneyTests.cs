using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Compliance.EndToEnd.Tests.Jobs;

/// <summary>The Hangfire dashboard works for administrators under the app's Content-Security-Policy, and only for them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class JobsDashboardJourneyTests
{
    private readonly BrowserHost _host;

    public JobsDashboardJourneyTests(BrowserHost host) => _host = host;

    [Fact]
    public async Task An_administrator_opens_the_job_dashboard_and_it_renders_without_script_errors()
    {
        var (page, errors) = await _host.SignInAsync("admin");

        await page.GotoAsync("/jobs");
        await Expect(page.GetByText("AI Model Compliance — jobs").First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Recurring Jobs" }).First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_officer_is_refused_the_job_dashboard()
    {
        var (page, _) = await _host.SignInAsync("officer");

        var response = await page.APIRequest.GetAsync("/jobs");
        Assert.Equal(403, response.Status);
    }
}
