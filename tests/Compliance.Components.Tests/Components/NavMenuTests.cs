using Compliance.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Components.Tests.Components;

/// <summary>The main menu: the links each role may use, and the current page marked as NavLink would mark it.</summary>
public sealed class NavMenuTests : ComponentTest
{
    private static string[] Current(IRenderedComponent<NavMenu> menu) =>
        menu.FindAll("a.mud-nav-link.active[aria-current=page]").Select(a => a.GetAttribute("href")!).ToArray();

    [Fact]
    public void The_current_page_is_marked_and_the_mark_follows_navigation()
    {
        var menu = Context.Render<NavMenu>();
        Assert.Equal(["/"], Current(menu));

        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/inventory/bindings?model=3");
        menu.WaitForAssertion(() => Assert.Equal(["/inventory/bindings"], Current(menu)));

        // "Approvals" matches its own page only, not the sources page below it.
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/approvals/sources");
        menu.WaitForAssertion(() => Assert.Empty(Current(menu))); // the officer has no link to the sources page
        Assert.Null(menu.Find("a[href='/approvals']").GetAttribute("aria-current"));
    }

    [Fact]
    public void The_officer_has_the_staff_links_but_not_the_administrator_ones()
    {
        var menu = Context.Render<NavMenu>();

        Assert.NotEmpty(menu.FindAll("a[href='/inventory/bindings']"));
        Assert.NotEmpty(menu.FindAll("a[href='/audit']"));
        Assert.Empty(menu.FindAll("a[href='/jobs']"));
        Assert.Empty(menu.FindAll("a[href='/approvals/sources']"));
    }
}
