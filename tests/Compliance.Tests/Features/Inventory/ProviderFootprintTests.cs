using System.Net;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Inventory;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Inventory;

/// <summary>"Everything this vendor serves": counted as the inventory holds it, shown to staff only.</summary>
public sealed class ProviderFootprintTests(ProviderFootprintTests.Factory factory) : IClassFixture<ProviderFootprintTests.Factory>, IAsyncLifetime
{
    public sealed class Factory : ComplianceAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(TestAuthentication.Use);
        }
    }

    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Theory]
    [InlineData("Anthropic")]
    [InlineData("Meta")]
    [InlineData("OpenAI")]
    public async Task The_footprint_counts_what_the_inventory_holds_for_the_vendor(string provider)
    {
        var at = DateTime.UtcNow;
        await using var db = _database.Create();
        var active = (await db.Bindings.AsNoTracking().Include(b => b.Model).Include(b => b.Workload).ToListAsync())
            .Where(b => b.Model!.Provider == provider && b.From <= at && (b.To is null || b.To > at)).ToList();

        var footprint = await db.FootprintAsync(provider, at);

        Assert.NotNull(footprint);
        Assert.Equal(await db.Models.CountAsync(m => m.Provider == provider), footprint.Models.Count);
        Assert.Equal(active.Count, footprint.Bindings);
        Assert.Equal(active.Count, footprint.Slices.Sum(s => s.Bindings));
        Assert.Equal(active.Select(b => b.WorkloadId).Distinct().Count(), footprint.Workloads);
        Assert.Equal(active.Select(b => b.Workload!.CustomerId).Distinct().Order(), footprint.Customers.Select(c => c.CustomerId).Order());
        Assert.Equal(active.Count, footprint.Models.Sum(m => m.ActiveBindings));
    }

    [Fact]
    public async Task An_unknown_vendor_has_no_footprint()
    {
        await using var db = _database.Create();

        Assert.Null(await db.FootprintAsync("No Such Vendor", DateTime.UtcNow));
    }

    [Fact]
    public async Task Staff_open_the_vendor_page_and_customers_are_refused_it()
    {
        using var auditor = Client(Roles.Auditor);
        using var customer = Client(Roles.Customer);
        using var customerAndOfficer = Client(Roles.Customer, Roles.ComplianceOfficer);

        var page = await auditor.GetAsync("/inventory/providers/Anthropic");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Everything Anthropic serves", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/inventory/providers/Anthropic")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customerAndOfficer.GetAsync("/inventory/providers/Anthropic")).StatusCode);
    }

    private HttpClient Client(params string[] roles) => TestAuthentication.ClientAs(factory, "vendor-page-person", roles);
}
