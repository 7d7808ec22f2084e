using Compliance.Web.Features.Evidence;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Compliance.Components.Tests.Features.Evidence;

/// <summary>The evidence page builds the package's download link from the chosen customer and period, and refuses a period that ends before it starts.</summary>
public sealed class EvidencePageTests : ComponentTest
{
    [Fact]
    public async Task The_download_link_names_the_last_90_days_and_the_customer_chosen()
    {
        int acme;
        await using (var db = Database.Create())
        {
            acme = await db.Customers.Where(c => c.Code == "acme").Select(c => c.Id).SingleAsync();
        }

        RenderProviders();
        var page = Context.Render<EvidencePage>();
        var today = DateTime.UtcNow.Date;

        page.WaitForAssertion(() => Assert.NotNull(page.Find("a[href^='/evidence/package']")), TimeSpan.FromSeconds(10));
        Assert.Equal($"/evidence/package?from={today.AddDays(-90):yyyy-MM-dd}&until={today.AddDays(1):yyyy-MM-dd}", page.Find("a[href^='/evidence/package']").GetAttribute("href"));

        var customer = page.FindComponent<MudSelect<int?>>();
        await page.InvokeAsync(() => customer.Instance.ValueChanged.InvokeAsync(acme));

        page.WaitForAssertion(() => Assert.StartsWith($"/evidence/package?customer={acme}&from=", page.Find("a[href^='/evidence/package']").GetAttribute("href")));
    }

    [Fact]
    public async Task A_period_that_ends_before_it_starts_offers_no_download()
    {
        RenderProviders();
        var page = Context.Render<EvidencePage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("a[href^='/evidence/package']")), TimeSpan.FromSeconds(10));

        var until = page.FindComponents<MudDatePicker>()[1];
        await page.InvokeAsync(() => until.Instance.DateChanged.InvokeAsync(DateTime.UtcNow.Date.AddDays(-100)));

        page.WaitForAssertion(() => Assert.Contains("Choose a period that ends after it starts.", page.Markup));
        Assert.Empty(page.FindAll("a[href^='/evidence/package']"));
    }
}
