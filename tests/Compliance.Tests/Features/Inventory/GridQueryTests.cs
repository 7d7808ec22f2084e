using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Compliance.Tests.Features.Inventory;

/// <summary>Grid filters and sorts run in SQL over the real database and agree with the same question asked in LINQ.</summary>
public sealed class GridQueryTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_model_filter_and_an_impact_level_filter_find_exactly_the_matching_bindings_in_order()
    {
        await using var db = _database.Create();
        var now = DateTime.UtcNow;
        var state = new GridState<BindingRow> { Page = 0, PageSize = 1000 };
        state.FilterDefinitions.Add(Filter(r => r.Provider, FilterOperator.String.Equal, "Anthropic"));
        state.FilterDefinitions.Add(Filter(r => r.ImpactLevel, FilterOperator.Number.GreaterThanOrEqual, ImpactLevel.IL5));
        state.SortDefinitions.Add(new SortDefinition<BindingRow>(nameof(BindingRow.CustomerName), false, 0, r => r.CustomerName));
        state.SortDefinitions.Add(new SortDefinition<BindingRow>(nameof(BindingRow.From), true, 1, r => r.From));

        var page = await GridQuery.PageAsync(db.BindingRows(true, now), state, CancellationToken.None, r => r.Id);

        var expected = (await db.BindingRows(true, now).ToListAsync())
            .Where(r => r.Provider == "Anthropic" && r.ImpactLevel >= ImpactLevel.IL5)
            .OrderBy(r => r.CustomerName, StringComparer.Ordinal).ThenByDescending(r => r.From).ThenBy(r => r.Id).Select(r => r.Id).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, page.TotalItems);
        Assert.Equal(expected, page.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task A_contains_filter_on_the_model_id_pages_through_every_match_once()
    {
        await using var db = _database.Create();
        var all = new List<int>();
        for (var p = 0; ; p++)
        {
            var state = new GridState<BindingRow> { Page = p, PageSize = 7 };
            state.FilterDefinitions.Add(Filter(r => r.HostModelId, FilterOperator.String.Contains, "llama"));
            var page = await GridQuery.PageAsync(db.BindingRows(false, DateTime.UtcNow), state, CancellationToken.None, r => r.Id);
            all.AddRange(page.Items.Select(r => r.Id));
            if (page.Items.Count() < 7) break;
        }

        var expected = await db.Bindings.Where(b => b.Model!.HostModelId.Contains("llama")).OrderBy(b => b.Id).Select(b => b.Id).ToListAsync();
        Assert.Equal(expected, all);
    }

#pragma warning disable BL0005 // a column built outside a render tree, as the grid would hand it to ServerData
    private static FilterDefinition<BindingRow> Filter<TProperty>(System.Linq.Expressions.Expression<Func<BindingRow, TProperty>> property, string op, object value)
    {
        var column = new PropertyColumn<BindingRow, TProperty> { Property = property };
        // The grid initialises its columns when it renders; do the same step here.
        typeof(PropertyColumn<BindingRow, TProperty>).GetMethod("OnParametersSet", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .Invoke(column, null);
        Assert.False(string.IsNullOrEmpty(column.PropertyName));
        return new FilterDefinition<BindingRow> { Column = column, Operator = op, Value = value };
    }
#pragma warning restore BL0005
}
