using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Approvals;
using Compliance.Web.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Compliance.Tests.Features.Approvals;

public abstract class ApprovalQueriesTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ApprovalQueriesTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ApprovalQueriesTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private static GridState<T> State<T>(int pageSize, params FilterDefinition<T>[] filters)
    {
        var state = new GridState<T> { Page = 0, PageSize = pageSize };
        foreach (var f in filters)
        {
            state.FilterDefinitions.Add(f);
        }

        return state;
    }

#pragma warning disable BL0005 // a column built outside a render tree, as the grid would hand it to ServerData
    private static FilterDefinition<T> Filter<T, TProperty>(System.Linq.Expressions.Expression<Func<T, TProperty>> property, string op, object value)
    {
        var column = new PropertyColumn<T, TProperty> { Property = property };
        typeof(PropertyColumn<T, TProperty>).GetMethod("OnParametersSet", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .Invoke(column, null);
        return new FilterDefinition<T> { Column = column, Operator = op, Value = value };
    }
#pragma warning restore BL0005

    [Fact]
    public async Task The_approvals_grid_filters_by_status_and_level_in_the_database()
    {
        await using var db = _database.Create();
        var pending = await GridQuery.PageAsync(db.ApprovalRows(), State(25, Filter<ApprovalRow, ApprovalStatus>(r => r.Status, FilterOperator.Enum.Is, ApprovalStatus.Requested)), default, r => r.Id);
        var il6 = await GridQuery.PageAsync(db.ApprovalRows(), State(100, Filter<ApprovalRow, ImpactLevel>(r => r.MaxImpactLevel, FilterOperator.Enum.Is, ImpactLevel.IL6)), default, r => r.Id);

        var request = Assert.Single(pending.Items);
        Assert.Equal(("o3-mini", "officer"), (request.HostModelId, request.RequestedBy));
        Assert.NotEmpty(il6.Items);
        Assert.All(il6.Items, r => Assert.Equal(ImpactLevel.IL6, r.MaxImpactLevel));
        Assert.Equal(await db.Approvals.CountAsync(a => a.MaxImpactLevel == ImpactLevel.IL6), il6.TotalItems);
    }

    [Fact]
    public async Task The_restrictions_grid_names_what_is_restricted_and_sources_count_their_entries()
    {
        await using var db = _database.Create();
        var page = await GridQuery.PageAsync(db.RestrictionRows(), State(25, Filter<RestrictionRow, string>(r => r.Target, FilterOperator.String.Contains, "Anthropic")), default, r => r.Id);
        db.ApprovalListSources.Add(new ApprovalListSource { Name = "Board", CreatedBy = "admin", UploadedContent = [1] });
        await db.SaveChangesAsync();

        Assert.Equal("Every Anthropic model", Assert.Single(page.Items).Target);
        var line = Assert.Single(await db.SourceLines().ToListAsync());
        Assert.Equal(("Board", 0, 0, SyncStatus.Never), (line.Name, line.Approvals, line.Restrictions, line.LastSyncStatus));
    }
}
