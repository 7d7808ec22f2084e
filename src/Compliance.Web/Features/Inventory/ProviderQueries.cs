using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Inventory;

/// <summary>One customer's use of a provider's models.</summary>
public sealed record ProviderCustomer(int CustomerId, string Name, Sector Sector, int Bindings, int Workloads);

/// <summary>How many active bindings of a provider's models serve workloads at one level for one usage.</summary>
public sealed record ProviderSlice(ImpactLevel Level, Usage Usage, int Bindings);

/// <summary>Everything a vendor serves: its models, and their active bindings by customer, impact level and usage.</summary>
public sealed record ProviderFootprint(
    string Provider, IReadOnlyList<ModelRow> Models, IReadOnlyList<ProviderCustomer> Customers, IReadOnlyList<ProviderSlice> Slices,
    IReadOnlyList<Restriction> Restrictions)
{
    public int Bindings => Customers.Sum(c => c.Bindings);

    public int Workloads => Customers.Sum(c => c.Workloads);
}

public static class ProviderQueries
{
    /// <summary>The provider's footprint at <paramref name="at"/>; null when no model has that provider.</summary>
    public static async Task<ProviderFootprint?> FootprintAsync(this ComplianceDb db, string provider, DateTime at, CancellationToken ct = default)
    {
        var models = await db.ModelRows(at).Where(m => m.Provider == provider).OrderBy(m => m.DisplayName).ThenBy(m => m.Id).ToListAsync(ct);
        if (models.Count == 0)
        {
            return null;
        }

        var active = db.Bindings.AsNoTracking().Where(b => b.Model!.Provider == provider && b.From <= at && (b.To == null || b.To > at));
        var byCustomer = await active.GroupBy(b => b.Workload!.CustomerId)
            .Select(g => new { CustomerId = g.Key, Bindings = g.Count(), Workloads = g.Select(b => b.WorkloadId).Distinct().Count() })
            .ToListAsync(ct);
        var customers = await db.Customers.AsNoTracking().Where(c => byCustomer.Select(x => x.CustomerId).Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, ct);
        var slices = await active.GroupBy(b => new { b.Workload!.ImpactLevel, b.Usage })
            .Select(g => new ProviderSlice(g.Key.ImpactLevel, g.Key.Usage, g.Count())).ToListAsync(ct);
        var restrictions = await db.Restrictions.AsNoTracking()
            .Where(r => (r.Provider == provider || r.Model!.Provider == provider) && (r.LiftedAt == null || r.LiftedAt > at))
            .OrderBy(r => r.TransitionDeadline).ToListAsync(ct);
        return new ProviderFootprint(provider, models,
            [.. byCustomer.Select(x => new ProviderCustomer(x.CustomerId, customers[x.CustomerId].Name, customers[x.CustomerId].Sector, x.Bindings, x.Workloads))
                .OrderByDescending(c => c.Bindings).ThenBy(c => c.Name, StringComparer.Ordinal)],
            [.. slices.OrderBy(s => s.Level).ThenBy(s => s.Usage)], restrictions);
    }
}
