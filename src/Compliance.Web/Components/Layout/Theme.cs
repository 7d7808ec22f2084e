using MudBlazor;

namespace Compliance.Web.Components.Layout;

/// <summary>The product's colours: sober navy and teal, with status colours readable in both themes.</summary>
public static class Theme
{
    public static readonly MudTheme Value = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f3a5f",
            Secondary = "#00796b",
            AppbarBackground = "#1f3a5f",
            Background = "#f6f7f9",
            // Status colours dark enough for 4.5:1 text contrast on white (WCAG AA), as chips and links use them.
            Success = "#2e7d32",
            Info = "#0d5aa7",
            Warning = "#8a5300",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7aa7d9",
            Secondary = "#4db6ac",
            AppbarBackground = "#16263b",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Liberation Sans", "sans-serif"] },
        },
    };
}
