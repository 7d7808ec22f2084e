using Compliance.Domain;

namespace Compliance.Web.Features.Inventory;

// Grid rows: member-initialised so EF Core can filter and sort over the projection in SQL.

public sealed class BindingRow
{
    public int Id { get; init; }
    public int CustomerId { get; init; }
    public string CustomerName { get; init; } = "";
    public int WorkloadId { get; init; }
    public string WorkloadName { get; init; } = "";
    public ImpactLevel ImpactLevel { get; init; }
    public DataCategories DataCategories { get; init; }
    public int ModelId { get; init; }
    public string ModelName { get; init; } = "";
    public string HostModelId { get; init; } = "";
    public string Provider { get; init; } = "";
    public string Hosting { get; init; } = "";
    public Usage Usage { get; init; }
    public string Purpose { get; init; } = "";
    public DateTime From { get; init; }
    public DateTime? To { get; init; }
}

public sealed class ModelRow
{
    public int Id { get; init; }
    public string Provider { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string HostModelId { get; init; } = "";
    public string Version { get; init; } = "";
    public string Hosting { get; init; } = "";
    public string Region { get; init; } = "";
    public DateTime? DeprecatedOn { get; init; }
    public DateTime? RetiredOn { get; init; }
    public int ActiveBindings { get; init; }
}

public sealed class WorkloadRow
{
    public int Id { get; init; }
    public int CustomerId { get; init; }
    public string CustomerName { get; init; } = "";
    public string Name { get; init; } = "";
    public string Owner { get; init; } = "";
    public string Environment { get; init; } = "";
    public ImpactLevel ImpactLevel { get; init; }
    public DataCategories DataCategories { get; init; }
    public int ActiveBindings { get; init; }
}

public sealed class CustomerRow
{
    public int Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public Sector Sector { get; init; }
    public int Workloads { get; init; }
}
