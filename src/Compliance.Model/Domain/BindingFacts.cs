using System.Linq.Expressions;

namespace Compliance.Domain;

/// <summary>
/// What the rule needs to know about one binding: its model, its workload's level and categories, its customer, its usage.
/// Built one way per source: <see cref="OfBinding"/> in an EF Core query, <see cref="OfWorkload"/> then <see cref="For"/>
/// from a workload's columns (the check stores' rows and arrays, projected rows); a new fact is added there.
/// </summary>
public readonly record struct BindingFacts(
    int ModelId,
    int CustomerId,
    Sector Sector,
    ImpactLevel ImpactLevel,
    DataCategories DataCategories,
    Usage Usage)
{
    /// <summary>A binding's facts in an EF Core query (translated on every engine: the workload's and customer's columns).</summary>
    public static readonly Expression<Func<Binding, BindingFacts>> OfBinding = b =>
        new BindingFacts(b.ModelId, b.Workload!.CustomerId, b.Workload.Customer!.Sector, b.Workload.ImpactLevel, b.Workload.DataCategories, b.Usage);

    /// <summary>A workload's facts before a model and a usage are chosen (what a store keeps per workload).</summary>
    public static BindingFacts OfWorkload(int customerId, Sector sector, ImpactLevel level, DataCategories categories) =>
        new(0, customerId, sector, level, categories, default);

    /// <summary>These workload facts for a binding of <paramref name="modelId"/> with <paramref name="usage"/>; no allocation.</summary>
    public BindingFacts For(int modelId, Usage usage) => this with { ModelId = modelId, Usage = usage };
}
