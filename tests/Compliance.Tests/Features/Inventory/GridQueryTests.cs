using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Compliance.Tests.Features.Inventory;

/// <summary>Grid filters and sorts run in SQL over the real database and agree with the same question asked in LINQ.</summary>
public abstract class GridQueryTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : GridQueryTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : GridQueryTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);

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

        var page = await GridQuery.PageAsync(db.BindingRows().InForceAt(now), state, CancellationToken.None, r => r.Id);

        var expected = (await db.BindingRows().InForceAt(now).ToListAsync())
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
            var page = await GridQuery.PageAsync(db.BindingRows(), state, CancellationToken.None, r => r.Id);
            all.AddRange(page.Items.Select(r => r.Id));
            if (page.Items.Count() < 7) break;
        }

        var expected = await db.Bindings.Where(b => b.Model!.HostModelId.Contains("llama")).OrderBy(b => b.Id).Select(b => b.Id).ToListAsync();
        Assert.Equal(expected, all);
    }

    public static TheoryData<string, bool, bool> Orders => new()
    {
        { "", false, false },
        { nameof(BindingRow.CustomerName), false, false },
        { nameof(BindingRow.CustomerName), true, true },
        { nameof(BindingRow.ImpactLevel), true, false },
        { nameof(BindingRow.WorkloadName), false, true },
        { nameof(BindingRow.From), true, true },
        { nameof(BindingRow.To), false, false }, // nullable: pages by OFFSET
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task Keyset_pages_are_the_pages_offset_gives_whichever_way_the_pager_moves(string sortBy, bool descending, bool filtered)
    {
        await using var db = _database.Create();
        var now = DateTime.UtcNow;
        const int size = 7;
        GridState<BindingRow> State(int page)
        {
            var state = new GridState<BindingRow> { Page = page, PageSize = size };
            if (sortBy.Length > 0) state.SortDefinitions.Add(new SortDefinition<BindingRow>(sortBy, descending, 0, r => r.Id));
            if (filtered) state.FilterDefinitions.Add(Filter(r => r.ImpactLevel, FilterOperator.Number.GreaterThanOrEqual, ImpactLevel.IL5));
            return state;
        }

        // The truth: the same view read by OFFSET, one page at a time, without a paging memory.
        var expected = new List<List<int>>();
        for (var p = 0; ; p++)
        {
            var page = await GridQuery.PageAsync(db.BindingRows(), State(p), CancellationToken.None, r => r.Id);
            if (!page.Items.Any()) break;
            expected.Add(page.Items.Select(r => r.Id).ToList());
        }

        var total = expected.Sum(p => p.Count);
        Assert.True(expected.Count >= 4, $"the demo inventory gives {expected.Count} pages; the test needs several");
        Assert.Equal(total, expected.SelectMany(p => p).Distinct().Count());

        // Next to the end, back to the start, last, previous, a jump into the middle and on from it.
        var last = expected.Count - 1;
        int[] moves = [.. Enumerable.Range(0, expected.Count), .. Enumerable.Range(0, last).Reverse()];
        var paging = new GridPaging();
        foreach (var sequence in new[] { moves, [last, last - 1, last - 2, 0], [last / 2, last / 2 + 1, last / 2 - 1, 1] })
        {
            paging.Reset();
            foreach (var p in sequence)
            {
                var page = await GridQuery.PageAsync(db.BindingRows(), State(p), CancellationToken.None, r => r.Id, paging);
                Assert.Equal(total, page.TotalItems);
                Assert.True(expected[p].SequenceEqual(page.Items.Select(r => r.Id)), $"page {p} of [{string.Join(", ", sequence)}]");
            }
        }
    }

    [Fact]
    public async Task A_remembered_total_is_reused_for_the_same_view_and_counted_again_when_the_filters_change()
    {
        await using var db = _database.Create();
        var paging = new GridPaging();
        var state = new GridState<BindingRow> { Page = 0, PageSize = 5 };
        var before = await GridQuery.PageAsync(db.BindingRows(), state, CancellationToken.None, r => r.Id, paging);

        // A binding that a reused total does not see until the view changes or the grid resets.
        var binding = await db.Bindings.AsNoTracking().FirstAsync();
        await db.Database.ExecuteSqlAsync($"INSERT INTO \"Bindings\" (\"ModelId\", \"WorkloadId\", \"Usage\", \"Purpose\", \"From\") VALUES ({binding.ModelId}, {binding.WorkloadId}, 0, 'late', '2026-01-01 00:00:00')");
        state.Page = 1;
        Assert.Equal(before.TotalItems, (await GridQuery.PageAsync(db.BindingRows(), state, CancellationToken.None, r => r.Id, paging)).TotalItems);
        Assert.Equal(before.TotalItems + 1, (await GridQuery.PageAsync(db.BindingRows(), state, CancellationToken.None, r => r.Id, paging, scope: "another view")).TotalItems);
        paging.Reset();
        Assert.Equal(before.TotalItems + 1, (await GridQuery.PageAsync(db.BindingRows(), state, CancellationToken.None, r => r.Id, paging)).TotalItems);
    }

    [Fact]
    public async Task Active_bindings_counted_as_all_minus_those_not_in_force_match_a_direct_count()
    {
        await using var db = _database.Create();
        var now = DateTime.UtcNow;
        var some = await db.Bindings.AsNoTracking().OrderBy(b => b.Id).Take(3).ToListAsync();
        await db.Database.ExecuteSqlAsync($"UPDATE \"Bindings\" SET \"To\" = {now.AddDays(-1)} WHERE \"Id\" = {some[0].Id}");
        await db.Database.ExecuteSqlAsync($"UPDATE \"Bindings\" SET \"From\" = {now.AddDays(5)} WHERE \"Id\" = {some[1].Id}");
        await db.Database.ExecuteSqlAsync($"UPDATE \"Bindings\" SET \"To\" = {now.AddDays(5)} WHERE \"Id\" = {some[2].Id}"); // still in force

        var all = new GridState<BindingRow> { Page = 0, PageSize = 10 };
        var allPage = await db.BindingsPageAsync(db.BindingRows(), activeOnly: true, now, all, new GridPaging(), "", CancellationToken.None);
        Assert.Equal(await db.BindingRows().InForceAt(now).CountAsync(), allPage.TotalItems);
        Assert.Equal(await db.BindingRows().CountAsync() - await db.BindingRows().CountAsync(r => r.From > now || r.To <= now), allPage.TotalItems);
        Assert.DoesNotContain(allPage.Items, r => r.Id == some[0].Id || r.Id == some[1].Id);

        var filtered = new GridState<BindingRow> { Page = 0, PageSize = 10 };
        filtered.FilterDefinitions.Add(Filter(r => r.ImpactLevel, FilterOperator.Number.GreaterThanOrEqual, ImpactLevel.IL5));
        var page = await db.BindingsPageAsync(db.BindingRows(), activeOnly: true, now, filtered, new GridPaging(), "", CancellationToken.None);
        Assert.Equal(await db.BindingRows().InForceAt(now).CountAsync(r => r.ImpactLevel >= ImpactLevel.IL5), page.TotalItems);
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
