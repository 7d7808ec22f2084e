using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Compliance.EndToEnd.Tests.Features.Evidence;

/// <summary>
/// Issue 16's day end to end: an administrator restricts a vendor after reading its blast radius in the same dialog, then
/// the officer downloads the evidence package and it holds every file an assessor needs.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RestrictionToEvidenceJourneyTests(BrowserHost host)
{
    // A cold circuit on a loaded 2-core machine: expectations wait as long as the host's actions do.
    private static readonly LocatorAssertionsToContainTextOptions Slow = new() { Timeout = 30_000 };

    [Fact]
    public async Task An_administrator_restricts_a_vendor_after_its_blast_radius_and_the_officer_downloads_the_evidence_package()
    {
        // Restrict Meta for the Health sector only (the demo's Initech), so the other journeys' customers stay as they are.
        var (admin, adminErrors) = await host.SignInAsync("admin");
        // The staff home first: its daily trend (range buttons, customer picker) passes the accessibility scan.
        await Expect(admin.GetByTestId("posture-trend")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Journeys.AssertAccessibleAsync(admin);
        // Through the menu: the circuit that signed in stays, so the page's buttons answer at once.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Restrictions", Exact = true }).ClickAsync();
        await Expect(admin.Locator("h1")).ToHaveTextAsync("Restrictions");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Restrict a model or vendor" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByTestId("blast-radius")).ToContainTextAsync("Choose a vendor or a model", Slow);
        await dialog.Locator(".mud-select").First.ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "Meta", Exact = true }).ClickAsync();
        await dialog.GetByLabel("Defense", new() { Exact = true }).UncheckAsync();
        await dialog.GetByLabel("Health", new() { Exact = true }).CheckAsync();

        // The preview answers before anything is written.
        await Expect(dialog.GetByTestId("blast-radius"))
            .ToContainTextAsync(new Regex(@"(\d+ binding\(s\) in\s+\d+ workload\(s\) of\s+\d+ customer\(s\) would become non-compliant|No binding that is compliant today would become non-compliant)"),
                new() { Timeout = 60_000 });
        await Journeys.AssertAccessibleAsync(admin);
        await Journeys.ScreenshotForDocsAsync(admin, "blast-radius.png");
        await dialog.Locator("textarea").First.FillAsync("Health data may not reach this vendor's models (journey test).");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Restrict", Exact = true }).ClickAsync();
        await Expect(admin.GetByText("Restriction recorded.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(admin.GetByText("Every Meta model")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Empty(adminErrors);

        // The officer's evidence package of the whole inventory, fetched with the officer's browser session.
        var (officer, officerErrors) = await host.SignInAsync("officer");
        await officer.GetByRole(AriaRole.Link, new() { Name = "Evidence packages", Exact = true }).ClickAsync();
        await Expect(officer.Locator("h1")).ToHaveTextAsync("Evidence packages");
        var download = officer.GetByRole(AriaRole.Link, new() { Name = "Download the package" });
        await Expect(download).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Journeys.AssertAccessibleAsync(officer);
        var href = await download.GetAttributeAsync("href");
        Assert.StartsWith("/evidence/package?from=", href);
        var response = await officer.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        Assert.Equal("application/zip", response.Headers["content-type"].Split(';')[0]);

        using var zip = new ZipArchive(new MemoryStream(await response.BodyAsync()));
        Assert.Equal(["audit-trail.jsonl", "chain-proof.json", "controls.md", "findings.csv", "manifest.json", "poam.csv", "README.md", "transition-plans.csv", "waivers.csv"],
            zip.Entries.Select(e => e.FullName).Order(StringComparer.OrdinalIgnoreCase));
        // The restriction just recorded is on the trail the package carries.
        using var trail = new StreamReader(zip.GetEntry("audit-trail.jsonl")!.Open());
        Assert.Contains("Health data may not reach this vendor", await trail.ReadToEndAsync());
        Assert.Empty(officerErrors);
    }
}
