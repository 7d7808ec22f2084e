using Compliance.Web.Features.Inventory;

namespace Compliance.Components.Tests.Features.Inventory;

public sealed class ModelsPageTests : ComponentTest
{
    [Fact]
    public void The_models_grid_shows_a_page_of_models_from_the_database_with_their_lifecycle()
    {
        var page = Context.Render<Models>();

        page.WaitForAssertion(() => Assert.Contains("anthropic.claude-3-5-sonnet-20241022-v2:0", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Equal(25, page.FindAll("tbody tr.mud-table-row").Count);
        Assert.Contains("Deprecated", page.Markup);
        Assert.Contains("Add model", page.Markup);
    }

    [Fact]
    public void The_model_page_says_what_the_model_serves_by_impact_level_and_customer()
    {
        var page = Context.Render<ModelDetail>(p => p.Add(x => x.Id, 15)); // Claude 3.5 Sonnet on Bedrock GovCloud

        page.WaitForAssertion(() => Assert.Contains("What this model serves", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains("active bindings by impact level", page.Markup);
        Assert.Contains("By customer", page.Markup);
    }

    [Fact]
    public void An_unknown_model_says_so_and_links_back()
    {
        var page = Context.Render<ModelDetail>(p => p.Add(x => x.Id, 99999));
        page.WaitForAssertion(() => Assert.Contains("There is no model 99999", page.Markup), TimeSpan.FromSeconds(10));
    }
}
