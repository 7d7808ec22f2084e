using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Components.Layout;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Components.Layout;

/// <summary>The main menu offers each role exactly the pages it may open: every link it shows answers 200.</summary>
public sealed partial class MenuLinksTests(MenuLinksTests.Factory factory) : IClassFixture<MenuLinksTests.Factory>
{
    public sealed class Factory : ComplianceAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(TestAuthentication.Use);
        }
    }

    private static IEnumerable<NavMenu.MenuLink> Links => NavMenu.TopLinks.Concat(NavMenu.InventoryLinks).Concat(NavMenu.LowerLinks);

    public static TheoryData<string[]> People => new()
    {
        { [Roles.ComplianceOfficer] },
        { [Roles.Administrator] },
        { [Roles.Auditor] },
        { [Roles.Customer] },
        { [Roles.Customer, Roles.Auditor] },
        { [Roles.ComplianceOfficer, Roles.Administrator] },
    };

    [Fact]
    public void Each_link_names_the_policy_its_page_or_endpoint_enforces()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, Policy: t.GetCustomAttribute<AuthorizeAttribute>()?.Policy)))
            .ToDictionary(p => p.Template, p => p.Policy);
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        foreach (var link in Links)
        {
            var policy = pages.TryGetValue(link.Href, out var page)
                ? page
                : endpoints.Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith(link.Href, StringComparison.Ordinal))
                    .SelectMany(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>()).Select(a => a.Policy).FirstOrDefault(p => p is not null);
            Assert.True(policy == link.Policy, $"The menu shows {link.Href} under {link.Policy}; the page enforces {policy ?? "nothing"}.");
        }
    }

    [Theory]
    [MemberData(nameof(People))]
    public async Task Every_link_in_the_menu_opens_for_the_person_it_is_shown_to(string[] roles)
    {
        using var client = Client(roles);

        var shown = MenuHrefs(await client.GetStringAsync("/"));

        Assert.Contains("/", shown);
        foreach (var href in shown)
        {
            var response = await client.GetAsync(href);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{string.Join('+', roles)} is offered {href}, which answers {(int)response.StatusCode}.");
        }
    }

    [Theory]
    [MemberData(nameof(People))]
    public async Task No_page_the_person_may_open_is_missing_from_the_menu(string[] roles)
    {
        using var client = Client(roles);

        var shown = MenuHrefs(await client.GetStringAsync("/"));

        foreach (var link in Links.Where(l => !shown.Contains(l.Href)))
        {
            var response = await client.GetAsync(link.Href);
            Assert.True(response.StatusCode != HttpStatusCode.OK, $"{string.Join('+', roles)} may open {link.Href}, but the menu hides it.");
        }
    }

    [Fact]
    public async Task An_administrator_is_not_offered_the_import_page_that_only_officers_use()
    {
        using var client = Client(Roles.Administrator);

        var shown = MenuHrefs(await client.GetStringAsync("/"));

        Assert.DoesNotContain("/inventory/import", shown);
        Assert.Contains("/approvals/sources", shown);
    }

    /// <summary>The menu's links: only they carry MudBlazor's nav-link class.</summary>
    private static HashSet<string> MenuHrefs(string html) => [.. NavLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    [GeneratedRegex("<a href=\"([^\"]+)\"[^>]*class=\"mud-nav-link")]
    private static partial Regex NavLink();

    private HttpClient Client(params string[] roles) => TestAuthentication.ClientAs(factory, "menu-person", roles);
}
