using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Compliance.Components.Tests.Features.Inventory;

public sealed class ModelDialogTests : ComponentTest
{
    [Fact]
    public async Task Saving_a_duplicate_model_shows_the_error_on_the_model_id_field_and_saves_nothing()
    {
        var provider = Context.Render<MudDialogProvider>();
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ModelDialog>("Add model"));

        var fields = provider.FindAll("input");
        provider.Find("input[type=text]").Change("OpenAI"); // provider
        fields = provider.FindAll("input");
        fields[1].Change("gpt-4o");
        fields[2].Change("GPT-4o again");
        fields[4].Input("Azure OpenAI Government");
        fields[4].Blur();
        fields[5].Change("usgovvirginia");
        await using var db = Database.Create();
        var before = await db.Models.CountAsync();

        provider.FindAll("button").Single(b => b.TextContent.Contains("Save")).Click();

        provider.WaitForAssertion(() => Assert.Contains("is already in the inventory", provider.Markup), TimeSpan.FromSeconds(10));
        Assert.Equal(before, await db.Models.CountAsync());
    }

    [Fact]
    public async Task Saving_with_empty_required_fields_asks_for_each_of_them()
    {
        var provider = Context.Render<MudDialogProvider>();
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ModelDialog>("Add model"));

        provider.FindAll("button").Single(b => b.TextContent.Contains("Save")).Click();

        provider.WaitForAssertion(() =>
        {
            Assert.Contains("Enter the provider.", provider.Markup);
            Assert.Contains("Enter the model id.", provider.Markup);
        }, TimeSpan.FromSeconds(10));
    }
}
