using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Features.Findings;
using FindingsPage = Compliance.Web.Features.Findings.Findings;

namespace Compliance.Components.Tests.Features.Findings;

public sealed class FindingsPageTests : ComponentTest
{
    private async Task CheckAsync() =>
        await new CheckRunner(Database.Factory, Options.Create(new CheckOptions()), TimeProvider.System, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);

    [Fact]
    public async Task The_findings_grid_shows_the_open_findings_of_the_rule_named_in_the_address()
    {
        await CheckAsync();
        await using var db = Database.Create();
        var restricted = await db.Findings.CountAsync(f => f.Rule == FindingRule.Restricted && f.Status == FindingStatus.Open);
        var firstModel = await db.Findings.Where(f => f.Rule == FindingRule.Restricted).OrderByDescending(f => f.LastSeen).ThenBy(f => f.Id)
            .Select(f => f.Binding!.Model!.HostModelId).FirstAsync();

        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/findings?rule=Restricted");
        var page = Context.Render<FindingsPage>();

        page.WaitForAssertion(() => Assert.Contains(firstModel, page.Markup), TimeSpan.FromSeconds(10));
        var rows = page.FindAll("tbody tr.mud-table-row");
        Assert.Equal(Math.Min(25, restricted), rows.Count);
        Assert.All(rows, r => Assert.Contains("Restricted", r.TextContent));
        Assert.DoesNotContain("Unapproved", string.Concat(rows.Select(r => r.TextContent)));
        Assert.Contains("Rule: Restricted model", page.Markup); // the filter is shown and can be cleared
        Assert.Contains($"of {restricted}", page.Markup.Replace("&nbsp;", " "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_in_the_address_narrows_the_findings_to_that_customer()
    {
        await CheckAsync();
        await using var db = Database.Create();
        var acme = await db.Customers.SingleAsync(c => c.Code == "acme");
        var other = await db.Customers.Where(c => c.Id != acme.Id).Select(c => c.Name).ToListAsync();

        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/findings?customer={acme.Id}");
        var page = Context.Render<FindingsPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("tbody tr.mud-table-row")), TimeSpan.FromSeconds(10));
        Assert.All(page.FindAll("tbody tr.mud-table-row"), r => Assert.Contains(acme.Name, r.TextContent));
    }

    [Fact]
    public async Task By_default_the_open_findings_are_listed_most_severe_first()
    {
        await CheckAsync();
        await using var db = Database.Create();
        var open = db.Findings.Where(f => f.Status == FindingStatus.Open);
        // A customer whose first page holds critical findings and others.
        var counts = await open.GroupBy(f => f.Binding!.Workload!.CustomerId)
            .Select(g => new { Customer = g.Key, All = g.Count(), Critical = g.Count(f => f.Severity == Compliance.Domain.Severity.Critical) }).ToListAsync();
        var customer = counts.First(c => c.Critical > 0 && c.Critical < Math.Min(c.All, 25));
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/findings?customer={customer.Customer}");

        var page = Context.Render<FindingsPage>();

        page.WaitForAssertion(() => Assert.Equal(Math.Min(25, customer.All), page.FindAll("tbody tr.mud-table-row").Count), TimeSpan.FromSeconds(10));
        var severities = page.FindAll("tbody tr.mud-table-row").Select(r => r.Children[2].TextContent.Trim()).ToList();
        Assert.All(severities.Take(customer.Critical), s => Assert.Equal("Critical", s));
        Assert.DoesNotContain("Critical", severities.Skip(customer.Critical));
        Assert.All(page.FindAll("tbody tr.mud-table-row"), r => Assert.Equal("Open", r.Children[3].TextContent.Trim()));
    }

    [Fact]
    public void Without_a_check_the_empty_list_says_what_to_do_next()
    {
        var page = Context.Render<FindingsPage>();

        page.WaitForAssertion(() => Assert.Contains("No check has run yet.", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains("Run a check", page.Markup);
    }
}

public sealed class WaiverDialogTests : ComponentTest
{
    private async Task<long> OpenFindingAsync()
    {
        await new CheckRunner(Database.Factory, Options.Create(new CheckOptions()), TimeProvider.System, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);
        await using var db = Database.Create();
        // Not a restricted binding's finding: a waiver may not outlast the restriction's deadline (weeks away in the demo).
        return await db.Findings.Where(f => f.Status == FindingStatus.Open && f.Rule == FindingRule.Unapproved).OrderBy(f => f.Id).Select(f => f.Id).FirstAsync();
    }

    private async Task<IRenderedComponent<MudDialogProvider>> ShowAsync(long findingId)
    {
        var provider = Context.Render<MudDialogProvider>();
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<WaiverDialog>("Waive finding", new DialogParameters<WaiverDialog> { { d => d.FindingId, findingId } }));
        return provider;
    }

    private static void Waive(IRenderedComponent<MudDialogProvider> provider) =>
        provider.FindAll("button").Single(b => b.TextContent.Trim() == "Waive").Click();

    [Fact]
    public async Task A_waiver_without_a_justification_is_refused_in_the_field()
    {
        var id = await OpenFindingAsync();
        var provider = await ShowAsync(id);

        Waive(provider);

        provider.WaitForAssertion(() => Assert.Contains("A waiver needs a justification", provider.Markup), TimeSpan.FromSeconds(10));
        await using var db = Database.Create();
        Assert.False(await db.Waivers.AnyAsync());
    }

    [Fact]
    public async Task An_expiry_more_than_a_year_ahead_is_refused_and_a_valid_waiver_is_granted()
    {
        var id = await OpenFindingAsync();
        var provider = await ShowAsync(id);
        provider.Find("textarea").Change("Mission need; replacement being accredited.");
        var picker = provider.FindComponent<MudDatePicker>();
        await provider.InvokeAsync(() => picker.Instance.DateChanged.InvokeAsync(DateTime.UtcNow.Date.AddDays(400)));

        Waive(provider);

        provider.WaitForAssertion(() => Assert.Contains("A waiver lasts at most one year", provider.Markup), TimeSpan.FromSeconds(10));
        await using (var db = Database.Create())
        {
            Assert.False(await db.Waivers.AnyAsync());
        }

        await provider.InvokeAsync(() => picker.Instance.DateChanged.InvokeAsync(DateTime.UtcNow.Date.AddDays(200)));
        Waive(provider);

        // The error clears as soon as the form validates, before the service has saved: wait for the saved waiver itself.
        Waiver? waiver = null;
        for (var attempt = 0; attempt < 100 && waiver is null; attempt++)
        {
            await using var db = Database.Create();
            waiver = await db.Waivers.Include(w => w.Finding).SingleOrDefaultAsync();
            if (waiver is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(waiver);
        Assert.Equal(FindingStatus.Waived, waiver.Finding!.Status);
        Assert.Equal("officer", waiver.GrantedBy);
    }
}
