using System.Net;
using System.Net.Http.Json;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Dashboard;
using Compliance.Web.Features.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Portal;

/// <summary>
/// The daily posture trend, on the API and on the home page: staff read any customer's and the whole inventory's; a
/// Customer role reads its own organisation's only, whatever staff role it also holds. Acme's and globex's rows carry
/// numbers no other row has, so a leak shows in the response.
/// </summary>
public sealed class PostureTrendAccessTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>, IAsyncLifetime
{
    private const int AcmeBindings = 4242, AcmeCompliant = 4141, GlobexBindings = 9292, WholeBindings = 31313;

    public async Task InitializeAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        if (await db.PostureDays.AnyAsync(d => d.Bindings == AcmeBindings))
        {
            return;
        }

        var customers = await db.Customers.Where(c => c.Code == "acme" || c.Code == "globex").ToDictionaryAsync(c => c.Code, c => c.Id);
        var today = DateTime.UtcNow.Date;
        foreach (var ago in new[] { 1, 2, 3 }) // past days: a roll-up of today cannot replace them
        {
            var day = today.AddDays(-ago);
            db.PostureDays.AddRange(
                new PostureDay { Day = day, CustomerId = customers["acme"], Bindings = AcmeBindings, Compliant = AcmeCompliant, ComputedAt = day },
                new PostureDay { Day = day, CustomerId = customers["globex"], Bindings = GlobexBindings, Compliant = 9191, ComputedAt = day },
                new PostureDay { Day = day, CustomerId = PostureDay.AllCustomers, Bindings = WholeBindings, Compliant = 30303, ComputedAt = day });
        }

        await db.SaveChangesAsync();
        app.Services.GetRequiredService<PostureTrends>().Invalidate();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Staff_read_the_whole_inventorys_trend_and_any_customers()
    {
        using var officer = app.As("officer", Roles.ComplianceOfficer);

        var all = await officer.GetFromJsonAsync<ApiPostureTrend>("/api/v1/posture/trend?days=7");
        var globex = await officer.GetFromJsonAsync<ApiPostureTrend>("/api/v1/posture/trend?customer=globex");

        Assert.Null(all!.Customer);
        Assert.Equal(7, all.Days);
        Assert.Equal([WholeBindings, WholeBindings, WholeBindings], all.Points.Select(p => p.Bindings));
        Assert.True(all.Points[0].Day < all.Points[^1].Day);
        Assert.Equal("globex", globex!.Customer);
        Assert.All(globex.Points, p => Assert.Equal(GlobexBindings, p.Bindings));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.ComplianceOfficer)]
    [InlineData(Roles.Administrator)]
    public async Task A_customer_reads_its_own_trend_only_whatever_other_role_it_holds(string? staffRole)
    {
        using var acme = app.As("customer-acme", staffRole is null ? [Roles.Customer] : [Roles.Customer, staffRole]);

        var own = await acme.GetFromJsonAsync<ApiPostureTrend>("/api/v1/posture/trend?days=30");
        var named = await acme.GetFromJsonAsync<ApiPostureTrend>("/api/v1/posture/trend?customer=acme");
        var other = await acme.GetAsync("/api/v1/posture/trend?customer=globex");

        Assert.Equal("acme", own!.Customer);
        Assert.Equal(3, own.Points.Count);
        Assert.All(own.Points.Concat(named!.Points), p => Assert.Equal(AcmeBindings, p.Bindings));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain(GlobexBindings.ToString(), await other.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Roles.ComplianceOfficer)]
    public async Task A_customers_home_page_charts_its_own_trend_and_no_other(string? staffRole)
    {
        using var acme = app.As("customer-acme", staffRole is null ? [Roles.Customer] : [Roles.Customer, staffRole]);

        var home = await (await acme.GetAsync("/")).Content.ReadAsStringAsync();

        Assert.Contains("data-testid=\"trend-summary\"", home);
        Assert.Contains($"({AcmeCompliant:N0} of {AcmeBindings:N0})", home);
        Assert.DoesNotContain(GlobexBindings.ToString("N0"), home);
        Assert.DoesNotContain(WholeBindings.ToString("N0"), home);
        Assert.DoesNotContain("trend-customer", home); // no customer selector
    }

    [Fact]
    public async Task The_staff_home_page_charts_the_whole_inventory_by_default()
    {
        using var officer = app.As("officer", Roles.ComplianceOfficer);

        var home = await (await officer.GetAsync("/")).Content.ReadAsStringAsync();

        Assert.Contains($"({30303:N0} of {WholeBindings:N0})", home);
    }

    [Theory]
    [InlineData("days=0")]
    [InlineData("days=1097")]
    public async Task A_range_outside_the_kept_days_is_refused_naming_the_field(string query)
    {
        using var officer = app.As("officer", Roles.ComplianceOfficer);

        var response = await officer.GetAsync($"/api/v1/posture/trend?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"days\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_shared_trend_refuses_a_customer_scope_another_organisations_rows()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        var acme = CustomerScope.For(await db.Customers.SingleAsync(c => c.Code == "acme"));
        var globex = await db.Customers.Where(c => c.Code == "globex").Select(c => c.Id).SingleAsync();
        var trends = app.Services.GetRequiredService<PostureTrends>();

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => trends.ForAsync(acme, globex, 30));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => trends.ForAsync(CustomerScope.Nothing, null, 30));
        Assert.All((await trends.ForAsync(acme, null, 30)).Points, p => Assert.Equal(AcmeBindings, p.Bindings));
    }
}
