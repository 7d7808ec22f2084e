using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Compliance.EndToEnd.Tests.Features.Attestations;

/// <summary>
/// Issue 7's promise: an officer issues a customer's attestation, the customer signs in and downloads the
/// signed PDF, another customer cannot, and anyone holding the PDF checks it at /verify.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AttestationJourneyTests
{
    private readonly BrowserHost _host;

    public AttestationJourneyTests(BrowserHost host) => _host = host;

    [Fact]
    public async Task A_customer_downloads_its_signed_attestation_and_anyone_can_verify_it()
    {
        // The officer issues Acme's attestation.
        var (officer, officerErrors) = await _host.SignInAsync("officer");
        await officer.GetByRole(AriaRole.Link, new() { Name = "Attestations", Exact = true }).ClickAsync();
        await Expect(officer.Locator("h1")).ToHaveTextAsync("Attestations");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Issue attestation" }).ClickAsync();
        var dialog = officer.GetByRole(AriaRole.Dialog);
        await dialog.Locator(".mud-select").First.ClickAsync();
        await officer.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("Acme Defense Systems") }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Issue attestation" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        Assert.Empty(officerErrors);

        // The customer finds it and downloads the signed PDF.
        var (customer, customerErrors) = await _host.SignInAsync("customer-acme");
        await customer.GetByRole(AriaRole.Link, new() { Name = "Attestations", Exact = true }).ClickAsync();
        await Expect(customer.Locator("h1")).ToHaveTextAsync("Your attestations");
        var download = customer.GetByRole(AriaRole.Link, new() { Name = "Download PDF" }).First;
        await Expect(download).ToBeVisibleAsync();
        var href = await download.GetAttributeAsync("href");
        var pdf = await customer.APIRequest.GetAsync(href!);
        Assert.Equal(200, pdf.Status);
        var bytes = await pdf.BodyAsync();
        Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        var code = Regex.Match(await customer.ContentAsync(), "[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}").Value;
        Assert.NotEmpty(code);
        await Journeys.AssertAccessibleAsync(customer);
        Assert.Empty(customerErrors);

        // Another customer is refused that PDF, as if it did not exist.
        var (globex, _) = await _host.SignInAsync("customer-globex");
        Assert.Equal(404, (await globex.APIRequest.GetAsync(href!)).Status);

        // Anyone, signed in or not, verifies the code and the PDF file itself.
        var anyone = await _host.NewPageAsync();
        await anyone.GotoAsync($"/verify/{code}");
        await Expect(anyone.GetByText(new Regex("Authentic attestation"))).ToBeVisibleAsync();
        var file = Path.Combine(Path.GetTempPath(), $"attestation-{code}.pdf");
        await File.WriteAllBytesAsync(file, bytes);
        await anyone.Locator("input[type=file]").SetInputFilesAsync(file);
        await anyone.GetByRole(AriaRole.Button, new() { Name = "Compare file" }).ClickAsync();
        await Expect(anyone.GetByRole(AriaRole.Status)).ToContainTextAsync(new Regex("match", RegexOptions.IgnoreCase));
        await Journeys.AssertAccessibleAsync(anyone);
        await Journeys.ScreenshotForDocsAsync(anyone, "verify.png");
        File.Delete(file);
    }
}
