using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Compliance.Web.Features.Inventory;

public static class InventorySetup
{
    public static WebApplicationBuilder AddInventory(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<InventoryEvents>();
        builder.Services.AddSingleton<IInventoryChanged>(sp => sp.GetRequiredService<InventoryEvents>());
        builder.Services.AddOptions<InventoryDateOptions>().Bind(builder.Configuration.GetSection(InventoryDateOptions.Section))
            .Validate(o => o.YearsBack > 0 && o.YearsAhead > 0, "Inventory:Dates:YearsBack and YearsAhead must be positive numbers of years.").ValidateOnStart();
        builder.Services.AddSingleton<InventoryRules>();
        builder.Services.AddSingleton<InventoryService>();
        builder.Services.AddSingleton<Import.CsvImporter>();
        builder.Services.AddSingleton<CycloneDx.CycloneDxImporter>();
        return builder;
    }
}
