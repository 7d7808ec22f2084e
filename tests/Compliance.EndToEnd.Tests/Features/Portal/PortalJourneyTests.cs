using System.Security.Claims;
using System.Text.RegularExpressions;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Attestations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Compliance.EndToEnd.Tests.Features.Portal;

/// <summary>
/// Issue 14's promise, as customer-acme lives it: the portal home shows its posture and its attestation, the attestations
/// page its current one first, the diff what changed since the previous one, and /verify the standing of the newest.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalJourneyTests(BrowserHost host)
{
    [Fact]
    public async Task Customer_acme_goes_from_home_to_its_attestation_to_a_diff_to_verify()
    {
        await AddAcmeBindingAndReissueAsync();

        // Home: posture at a glance, its attestation, its workloads.
        var (page, errors) = await host.SignInAsync("customer-acme");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Acme Defense Systems");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Model bindings" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your attestation" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Your workloads") })).ToBeVisibleAsync();
        await Journeys.AssertAccessibleAsync(page);
        await Journeys.ScreenshotForDocsAsync(page, "portal-home.png");

        // The attestation: the current one first, with its code, QR code, issuer and evaluation time.
        await page.GetByRole(AriaRole.Link, new() { Name = "Attestations", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Your attestations");
        var current = page.GetByTestId("current-attestation");
        await Expect(current).ToContainTextAsync("Evaluated at");
        await Expect(current.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("QR code leading to") })).ToBeVisibleAsync();
        var code = Regex.Match(await current.InnerTextAsync(), "[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}").Value;
        Assert.NotEmpty(code);
        await Journeys.AssertAccessibleAsync(page);
        await Journeys.ScreenshotForDocsAsync(page, "portal-attestations.png");

        // The diff: the newest against the one before it (the form's default), with the binding added.
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("What changed between two attestations");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bindings added" })).ToBeVisibleAsync();
        await Journeys.AssertAccessibleAsync(page);
        await Journeys.ScreenshotForDocsAsync(page, "portal-diff.png");

        // Verify: the newest attestation is authentic and current.
        await page.GetByRole(AriaRole.Link, new() { Name = code }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("Authentic attestation — current") })).ToBeVisibleAsync();
        await Journeys.AssertAccessibleAsync(page);
        await Journeys.ScreenshotForDocsAsync(page, "portal-verify.png");
        Assert.Empty(errors);
    }

    /// <summary>A new binding on an acme workload, then a new attestation: the diff has something to show.</summary>
    private async Task AddAcmeBindingAndReissueAsync()
    {
        var factory = host.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>();
        int customerId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.As("officer", "Portal journey: a new coding assistant");
            var workload = await db.Workloads.Where(w => w.Customer!.Code == "acme").OrderBy(w => w.Id).FirstAsync();
            var used = await db.Bindings.Where(b => b.WorkloadId == workload.Id).Select(b => b.ModelId).ToListAsync();
            var model = await db.Models.Where(m => !used.Contains(m.Id) && m.Provider != "Anthropic").OrderBy(m => m.Id).FirstAsync();
            db.Bindings.Add(new Binding { ModelId = model.Id, WorkloadId = workload.Id, Usage = Usage.CodingAssistant,
                Purpose = "Portal journey review bot", From = DateTime.UtcNow.AddMinutes(-1) });
            await db.SaveChangesAsync();
            customerId = workload.CustomerId;
        }

        var officer = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "officer"), new Claim("name", "Olivia Officer"), new Claim("role", "ComplianceOfficer")], "test", "name", "role"));
        var issued = await host.Services.GetRequiredService<AttestationService>().IssueAsync(officer, customerId);
        Assert.True(issued.Succeeded, issued.Message);
    }
}
