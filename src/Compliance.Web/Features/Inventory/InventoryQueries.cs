using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Compliance.Web.Features.Inventory;

/// <summary>The inventory's read side: projections to grid rows, composed and paged in the database.</summary>
public static class InventoryQueries
{
    public static IQueryable<BindingRow> BindingRows(this ComplianceDb db) =>
        db.Bindings.AsNoTracking().Select(b => new BindingRow
        {
            Id = b.Id,
            // Sort and filter keys from the binding's own copies (indexed); the rest only for the page's rows.
            CustomerId = b.CustomerId,
            CustomerName = b.CustomerName,
            WorkloadId = b.WorkloadId,
            WorkloadName = b.WorkloadName,
            ImpactLevel = b.ImpactLevel,
            DataCategories = b.Workload!.DataCategories,
            ModelId = b.ModelId,
            ModelName = b.ModelName,
            HostModelId = b.Model!.HostModelId,
            Provider = b.Model.Provider,
            Hosting = b.Model.Hosting,
            Usage = b.Usage,
            Purpose = b.Purpose,
            From = b.From,
            To = b.To,
        });

    /// <summary>The bindings in force at <paramref name="at"/>: started, and not ended.</summary>
    public static IQueryable<BindingRow> InForceAt(this IQueryable<BindingRow> rows, DateTime at) =>
        rows.Where(r => r.From <= at && (r.To == null || r.To > at));

    /// <summary>
    /// A page of the bindings grid over <paramref name="all"/> (bindings rows, already narrowed to a model, customer or
    /// workload), only those in force at <paramref name="at"/> when <paramref name="activeOnly"/>.
    /// </summary>
    public static Task<GridData<BindingRow>> BindingsPageAsync(this ComplianceDb db, IQueryable<BindingRow> all, bool activeOnly, DateTime at,
        GridState<BindingRow> state, GridPaging? paging, string scope, CancellationToken ct) =>
        activeOnly
            ? GridQuery.PageAsync(all.InForceAt(at), state, ct, r => r.Id, paging, $"active/{scope}",
                (filter, token) => db.CountActiveAsync(filter(all), at, token))
            : GridQuery.PageAsync(all, state, ct, r => r.Id, paging, $"all/{scope}");

    /// <summary>
    /// How many of <paramref name="filtered"/> (bindings rows, filtered but not yet narrowed to active ones) are in force
    /// at <paramref name="at"/>: all of them minus those that are not. Counting "in force" directly reads every row; the
    /// rows not in force (ended, or starting later) are found through the <c>From</c> and <c>(To, From)</c> indexes, so
    /// the count costs what the ended bindings cost, and the first count is SQLite's page-count shortcut.
    /// </summary>
    public static async Task<int> CountActiveAsync(this ComplianceDb db, IQueryable<BindingRow> filtered, DateTime at, CancellationToken ct)
    {
        var notInForce = db.Bindings.Where(b => b.From > at || b.To <= at).Select(b => b.Id);
        return await filtered.CountAsync(ct) - await filtered.Where(r => notInForce.Contains(r.Id)).CountAsync(ct);
    }

    public static IQueryable<ModelRow> ModelRows(this ComplianceDb db, DateTime at) =>
        db.Models.AsNoTracking().Select(m => new ModelRow
        {
            Id = m.Id,
            Provider = m.Provider,
            DisplayName = m.DisplayName,
            HostModelId = m.HostModelId,
            Version = m.Version,
            Hosting = m.Hosting,
            Region = m.Region,
            DeprecatedOn = m.DeprecatedOn,
            RetiredOn = m.RetiredOn,
            ActiveBindings = db.Bindings.Count(b => b.ModelId == m.Id && b.From <= at && (b.To == null || b.To > at)),
        });

    public static IQueryable<WorkloadRow> WorkloadRows(this ComplianceDb db, DateTime at) =>
        db.Workloads.AsNoTracking().Select(w => new WorkloadRow
        {
            Id = w.Id,
            CustomerId = w.CustomerId,
            CustomerName = w.Customer!.Name,
            Name = w.Name,
            Owner = w.Owner,
            Environment = w.Environment,
            ImpactLevel = w.ImpactLevel,
            DataCategories = w.DataCategories,
            ActiveBindings = db.Bindings.Count(b => b.WorkloadId == w.Id && b.From <= at && (b.To == null || b.To > at)),
        });

    public static IQueryable<CustomerRow> CustomerRows(this ComplianceDb db) =>
        db.Customers.AsNoTracking().Select(c => new CustomerRow
        {
            Id = c.Id,
            Code = c.Code,
            Name = c.Name,
            Sector = c.Sector,
            Workloads = db.Workloads.Count(w => w.CustomerId == c.Id),
        });

    /// <summary>"What does this model serve?": active bindings counted by impact level and by customer.</summary>
    public static async Task<ModelReach> ReachAsync(this ComplianceDb db, int modelId, DateTime at, CancellationToken ct = default)
    {
        var active = db.Bindings.AsNoTracking().Where(b => b.ModelId == modelId && b.From <= at && (b.To == null || b.To > at));
        var byLevel = await active.GroupBy(b => b.Workload!.ImpactLevel)
            .Select(g => new { Level = g.Key, Count = g.Count() }).ToListAsync(ct);
        var byCustomer = await active.GroupBy(b => new { b.Workload!.CustomerId, b.Workload.Customer!.Name })
            .Select(g => new { g.Key.CustomerId, g.Key.Name, Count = g.Count() }).ToListAsync(ct);
        return new ModelReach(
            byLevel.OrderBy(x => x.Level).Select(x => (x.Level, x.Count)).ToList(),
            byCustomer.OrderByDescending(x => x.Count).ThenBy(x => x.Name).Select(x => (x.CustomerId, x.Name, x.Count)).ToList());
    }
}

public sealed record ModelReach(List<(ImpactLevel Level, int Count)> ByImpactLevel, List<(int CustomerId, string Customer, int Count)> ByCustomer)
{
    public int Total => ByImpactLevel.Sum(x => x.Count);
}
