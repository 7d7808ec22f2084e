using System.Net;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Portal;

/// <summary>The portal on the real host, with the demo's first-run attestations on.</summary>
public sealed class PortalPageTests(PortalPageTests.Factory factory) : IClassFixture<PortalPageTests.Factory>
{
    public sealed class Factory : ComplianceAppFactory
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["DemoData:Attestations"] = "true";
                return settings;
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(TestAuthentication.Use);
        }
    }

    [Fact]
    public async Task Demo_data_issues_one_signed_attestation_per_customer_on_first_run()
    {
        using var client = TestAuthentication.ClientAs(factory, "officer", Roles.ComplianceOfficer);
        await client.GetAsync("/health");
        var service = factory.Services.GetRequiredService<AttestationService>();

        var rows = await service.ListAsync(CustomerScope.Unrestricted);

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<Compliance.Data.ComplianceDb>>().CreateDbContextAsync();
        var customers = await db.Customers.CountAsync();
        var first = rows.GroupBy(r => r.CustomerId).Select(g => g.MinBy(r => r.Id)!).ToList();
        Assert.Equal(customers, first.Count);
        Assert.All(first, r => Assert.Equal(DemoAttestations.DemoOfficer, r.IssuedBy));
        Assert.All(first, r => Assert.False(r.Status == AttestationStatus.Withdrawn));
        var pdf = (await service.GetFileAsync(first[0].Id, "pdf", CustomerScope.Unrestricted))!.Content;
        Assert.Contains("/ByteRange", System.Text.Encoding.Latin1.GetString(pdf));
    }

    [Fact]
    public async Task A_customer_home_shows_its_posture_its_attestation_and_its_workloads_and_nothing_of_another_organisation()
    {
        using var client = TestAuthentication.ClientAs(factory, "customer-acme", Roles.Customer);

        var html = await client.GetStringAsync("/");

        Assert.Contains("Acme Defense Systems", html);
        Assert.Contains("Model bindings", html);
        Assert.Contains("href=\"/portal/bindings?status=NotCompliant\"", html);
        Assert.Contains("Your workloads", html);
        Assert.Contains("Transition plans", html);
        var acme = (await factory.Services.GetRequiredService<AttestationService>().ListAsync(CustomerScope.Unrestricted))
            .Single(r => r.CustomerCode == "acme" && r.Status == AttestationStatus.Current);
        Assert.Contains(acme.VerificationCode, html);
        Assert.DoesNotContain("Globex", html);
    }

    [Fact]
    public async Task The_bindings_page_keeps_a_customer_to_its_own_workloads_whatever_the_query_says()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<Compliance.Data.ComplianceDb>>().CreateDbContextAsync();
        var globexWorkload = await db.Workloads.Where(w => w.Customer!.Code == "globex" && db.Bindings.Any(b => b.WorkloadId == w.Id))
            .Select(w => w.Id).FirstAsync();
        var acmeWorkload = await db.Workloads.Where(w => w.Customer!.Code == "acme" && db.Bindings.Any(b => b.WorkloadId == w.Id && b.To == null))
            .Select(w => w.Id).FirstAsync();
        using var client = TestAuthentication.ClientAs(factory, "customer-acme", Roles.Customer);

        var other = await client.GetStringAsync($"/portal/bindings?workload={globexWorkload}");
        var own = await client.GetStringAsync($"/portal/bindings?workload={acmeWorkload}");

        Assert.Contains("No binding in force matches", other);
        Assert.Contains("data-testid=\"portal-bindings\"", own);
    }

    [Fact]
    public async Task Staff_are_not_shown_the_customer_bindings_page()
    {
        using var client = TestAuthentication.ClientAs(factory, "officer", Roles.ComplianceOfficer);

        var response = await client.GetAsync("/portal/bindings");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
