using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Dashboard;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.EndToEnd.Tests;

/// <summary>Each demo user signs in through the real OpenID Connect flow in Chromium and sees exactly their part.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests
{
    private readonly BrowserHost _host;

    public SignInTests(BrowserHost host) => _host = host;

    [Fact]
    public async Task The_officer_signs_in_and_sees_the_compliance_posture()
    {
        // Two checks, so the dashboard has a latest run; yesterday's and today's posture, so the daily trend has a line to draw.
        var runner = _host.Services.GetRequiredService<CheckRunner>();
        await runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        var run = await runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        await RecordYesterdayAsync();
        await _host.Services.GetRequiredService<PostureRollup>().RollUpAsync();

        var (page, errors) = await SignInAsync("officer");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Compliance posture");
        await Expect(page.GetByTestId("compliance-share")).ToBeVisibleAsync();
        await Expect(page.GetByText($"of {run.BindingsEvaluated:N0} active bindings pass every rule", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Every Anthropic model" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run a check now" })).ToBeVisibleAsync();
        await Expect(page.Locator("figure.posture-chart svg")).ToHaveCountAsync(2);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Bindings", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Jobs" })).ToHaveCountAsync(0);
        await Expect(page.GetByText("Olivia Officer", new() { Exact = true })).ToBeVisibleAsync();

        await AssertAccessibleAsync(page);
        await Journeys.ScreenshotForDocsAsync(page, "home.png");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_administrator_signs_in_and_sees_the_job_dashboard_link()
    {
        var (page, errors) = await SignInAsync("admin");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Compliance posture");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Jobs" })).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_auditor_signs_in_reads_the_inventory_and_has_no_administrator_links()
    {
        var (page, errors) = await SignInAsync("auditor");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Compliance posture");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Audit trail" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Jobs" })).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_customer_signs_in_and_sees_only_its_own_organisation()
    {
        var (page, errors) = await SignInAsync("customer-acme");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Acme Defense Systems");
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Your workloads") })).ToBeVisibleAsync();
        await Expect(page.GetByText("Compliance posture")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Bindings", Exact = true })).ToHaveCountAsync(0); // the staff menu link
        await Expect(page.GetByText("Globex")).ToHaveCountAsync(0);
        await AssertAccessibleAsync(page);
        Assert.Empty(errors);

        // Refused: the API is for staff and the pipeline; a customer's session gets 403, not data.
        var api = await page.APIRequest.GetAsync("/api/v1/me");
        Assert.Equal(403, api.Status);
    }

    [Fact]
    public async Task Signing_out_ends_the_providers_session_too()
    {
        var (page, _) = await SignInAsync("auditor");

        // "Sign out" in the header posts a form with the antiforgery token (a GET to /account/logout does nothing).
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        // Back at the app's home, which needs a session: the provider asks for the password again.
        await page.WaitForURLAsync(new Regex("/connect/login"));
        await Expect(page.Locator("#password")).ToBeVisibleAsync();
        var api = await page.APIRequest.GetAsync("/api/v1/me");
        Assert.Equal(401, api.Status);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_an_accessible_login_page()
    {
        var page = await _host.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync(new Regex("/connect/login"));
        await AssertAccessibleAsync(page);

        await page.FillAsync("#username", "officer");
        await page.FillAsync("#password", "admin");
        await page.ClickAsync("button[type=submit]");

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The user name or password is not correct.");
        Assert.Contains("/connect/login", page.Url);
    }

    /// <summary>Yesterday's posture as the nightly roll-up would have written it (a fresh install has only today's).</summary>
    private async Task RecordYesterdayAsync()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        var yesterday = DateTime.UtcNow.AddDays(-1);
        if (!await db.PostureDays.AnyAsync(d => d.Day == yesterday.Date))
        {
            db.PostureDays.AddRange(await PostureRollup.ComputeAsync(db, yesterday));
            await db.SaveChangesAsync();
        }
    }

    private Task<(IPage Page, List<string> Errors)> SignInAsync(string user) => _host.SignInAsync(user);

    private static Task AssertAccessibleAsync(IPage page) => Journeys.AssertAccessibleAsync(page);
}
