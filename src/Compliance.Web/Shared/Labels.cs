using Compliance.Domain;

namespace Compliance.Web.Shared;

/// <summary>How domain values read, on screen and in the attestation PDF alike.</summary>
public static class Labels
{
    public static string Category(DataCategories category) => category == DataCategories.ExportControlled ? "Export-controlled" : category.ToString();

    public static string Categories(DataCategories set) =>
        set == DataCategories.None ? "—" : string.Join(", ", set.Members().Select(Category));

    public static string Lifecycle(DateTime? deprecatedOn, DateTime? retiredOn, DateTime at) => Model.Lifecycle(deprecatedOn, retiredOn, at) switch
    {
        ModelLifecycle.Retired => $"Retired {retiredOn:yyyy-MM-dd}",
        ModelLifecycle.Deprecated => $"Deprecated {deprecatedOn:yyyy-MM-dd}" + (retiredOn is { } r ? $", retires {r:yyyy-MM-dd}" : ""),
        _ => retiredOn is { } planned ? $"Active, retires {planned:yyyy-MM-dd}" : "Active",
    };
}
