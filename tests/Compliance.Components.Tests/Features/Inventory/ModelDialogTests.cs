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

        // Each field found afresh inside the renderer's context: a change re-renders the dialog and retires old handlers.
        Task Change(int field, string value) => provider.InvokeAsync(() => provider.FindAll("input")[field].Change(value));
        await Change(0, "OpenAI"); // provider
        await Change(1, "gpt-4o");
        await Change(2, "GPT-4o again");
        await provider.InvokeAsync(() => provider.FindAll("input")[4].Input("Azure OpenAI Government"));
        await provider.InvokeAsync(() => provider.FindAll("input")[4].Blur());
        await Change(5, "usgovvirginia");
        await using var db = Database.Create();
        var before = await db.Models.CountAsync();

        await provider.InvokeAsync(() => provider.FindAll("button").Single(b => b.TextContent.Contains("Save")).Click());

        provider.WaitForAssertion(() => Assert.Contains("is already in the inventory", provider.Markup), TimeSpan.FromSeconds(10));
        Assert.Equal(before, await db.Models.CountAsync());
    }

    [Fact]
    public async Task Saving_with_empty_required_fields_asks_for_each_of_them()
    {
        var provider = Context.Render<MudDialogProvider>();
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ModelDialog>("Add model"));

        await provider.InvokeAsync(() => provider.FindAll("button").Single(b => b.TextContent.Contains("Save")).Click());

        provider.WaitForAssertion(() =>
        {
            Assert.Contains("Enter the provider.", provider.Markup);
            Assert.Contains("Enter the model id.", provider.Markup);
        }, TimeSpan.FromSeconds(10));
    }
}
