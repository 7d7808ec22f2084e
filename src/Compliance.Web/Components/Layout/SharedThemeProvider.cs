using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace Compliance.Web.Components.Layout;

/// <summary>
/// <see cref="MudThemeProvider"/> that renders the theme's CSS from one string per theme and mode shared by all
/// circuits. The base class builds the same ≈ 12,000 characters anew for each circuit and keeps them in that
/// circuit's render tree (24 KB per circuit). Themes are static (<see cref="Theme.Value"/>), never changed after start.
/// </summary>
public sealed class SharedThemeProvider : MudThemeProvider
{
    private sealed class Css
    {
        public string? Light, Dark, Scrollbar;
    }

    private static readonly ConditionalWeakTable<MudTheme, Css> Built = [];

    private const string ChartHover = "<style>.mud-chart-serie:hover, .mud-chart-serie-hovered { filter: url(#lighten); }</style>";

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        var css = Built.GetValue(GetTheme(), _ => new Css());
        if (!DefaultScrollbar)
        {
            builder.AddContent(0, new MarkupString(css.Scrollbar ??= BuildMudBlazorScrollbar()));
        }

        builder.AddMarkupContent(1, ChartHover);
        // BuildTheme reads the mode this instance shows; the first circuit in each mode builds it for all. The mode is
        // read from the parameter: the layout binds it two-way, so it equals the base class's state when this renders.
#pragma warning disable MUD0010
        var dark = IsDarkMode;
#pragma warning restore MUD0010
        builder.AddContent(2, new MarkupString(dark ? css.Dark ??= BuildTheme() : css.Light ??= BuildTheme()));
    }
}
