using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Compliance.Web.Features.Inventory;

public static class InventorySetup
{
    public static WebApplicationBuilder AddInventory(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<InventoryEvents>();
        builder.Services.AddSingleton<IInventoryChanged>(sp => sp.GetRequiredService<InventoryEvents>());
        builder.Services.AddSingleton<InventoryService>();
        builder.Services.AddSingleton<Import.CsvImporter>();
        builder.Services.AddSingleton<CycloneDx.CycloneDxImporter>();
        return builder;
    }
}
