using Compliance.Data;
using Compliance.Domain;

namespace Compliance.Web.Features.Findings;

/// <summary>A finding as the findings grid shows it; member-initialised so EF Core filters and sorts over it in SQL.</summary>
public sealed class FindingListRow
{
    public long Id { get; init; }
    public FindingRule Rule { get; init; }
    public Severity Severity { get; init; }
    public FindingStatus Status { get; init; }
    public int BindingId { get; init; }
    public int CustomerId { get; init; }
    public string CustomerName { get; init; } = "";
    public int WorkloadId { get; init; }
    public string WorkloadName { get; init; } = "";
    public ImpactLevel ImpactLevel { get; init; }
    public int ModelId { get; init; }
    public string ModelName { get; init; } = "";
    public string HostModelId { get; init; } = "";
    public DateTime FirstSeen { get; init; }
    public DateTime LastSeen { get; init; }
    public string Detail { get; init; } = "";
    public int? RestrictionId { get; init; }
}

/// <summary>
/// The query-string filters the findings list accepts (the dashboard links to them): <c>rule</c>, <c>status</c> (default
/// <c>Open</c>; <c>all</c> for every status), <c>severity</c>, <c>customer</c> (id), <c>model</c> (id), <c>restriction</c> (id).
/// </summary>
public sealed record FindingFilter(FindingRule? Rule, FindingStatus? Status, Severity? Severity, int? CustomerId, int? ModelId, int? RestrictionId)
{
    public static FindingFilter Parse(string? rule, string? status, string? severity, int? customer, int? model, int? restriction) => new(
        Enum.TryParse<FindingRule>(rule, true, out var r) && Enum.IsDefined(r) ? r : null,
        string.Equals(status, "all", StringComparison.OrdinalIgnoreCase) ? null
            : Enum.TryParse<FindingStatus>(status, true, out var s) && Enum.IsDefined(s) ? s : FindingStatus.Open,
        Enum.TryParse<Severity>(severity, true, out var v) && Enum.IsDefined(v) ? v : null,
        customer, model, restriction);
}

public static class FindingQueries
{
    public static IQueryable<FindingListRow> FindingRows(this ComplianceDb db, FindingFilter filter)
    {
        var findings = db.Findings.AsQueryable();
        if (filter.Rule is { } rule) findings = findings.Where(f => f.Rule == rule);
        if (filter.Status is { } s) findings = findings.Where(f => f.Status == s);
        if (filter.Severity is { } severity) findings = findings.Where(f => f.Severity == severity);
        if (filter.CustomerId is { } customer) findings = findings.Where(f => f.Binding!.Workload!.CustomerId == customer);
        if (filter.ModelId is { } model) findings = findings.Where(f => f.Binding!.ModelId == model);
        if (filter.RestrictionId is { } restriction) findings = findings.Where(f => f.RestrictionId == restriction);
        return findings.Select(f => new FindingListRow
        {
            Id = f.Id, Rule = f.Rule, Severity = f.Severity, Status = f.Status, BindingId = f.BindingId,
            CustomerId = f.Binding!.Workload!.CustomerId, CustomerName = f.Binding.Workload.Customer!.Name,
            WorkloadId = f.Binding.WorkloadId, WorkloadName = f.Binding.Workload.Name, ImpactLevel = f.Binding.Workload.ImpactLevel,
            ModelId = f.Binding.ModelId, ModelName = f.Binding.Model!.DisplayName, HostModelId = f.Binding.Model.HostModelId,
            FirstSeen = f.FirstSeen, LastSeen = f.LastSeen, Detail = f.Detail, RestrictionId = f.RestrictionId,
        });
    }
}

/// <summary>What each rule means and how to fix it, in plain words, for the finding page.</summary>
public static class FindingRules
{
    public static string Title(FindingRule rule) => rule switch
    {
        FindingRule.Restricted => "Restricted model",
        FindingRule.ModelRetired => "Model retired",
        FindingRule.Unapproved => "No approval",
        FindingRule.ApprovalExpired => "Approval expired",
        FindingRule.ImpactLevelExceeded => "Impact level above the approval",
        FindingRule.DataCategoryNotApproved => "Data category not approved",
        FindingRule.UsageNotApproved => "Usage not approved",
        FindingRule.ApprovalExpiringSoon => "Approval expiring soon",
        FindingRule.ModelDeprecated => "Model deprecated",
        _ => rule.ToString(),
    };

    public static string Explanation(FindingRule rule) => rule switch
    {
        FindingRule.Restricted =>
            "A restriction denies this model (or its whole vendor) for this customer's sector, this customer or this impact level. A restriction beats any approval. Fix: plan a transition to an allowed model before the restriction's deadline, then complete it; the next check resolves the finding.",
        FindingRule.ModelRetired =>
            "The model has reached its retirement date and nothing may use it any more. Fix: move the workload to a supported model (edit the binding in the inventory).",
        FindingRule.Unapproved =>
            "No approval in force covers this model for this customer. Fix: request an approval for the model (an administrator decides it), or move the workload to an approved model.",
        FindingRule.ApprovalExpired =>
            "The model was approved for this customer, but that approval has ended and no other one is in force. Fix: request a renewed approval, or move the workload.",
        FindingRule.ImpactLevelExceeded =>
            "The model is approved, but only up to an impact level below this workload's. Fix: request an approval at the workload's level, or move the workload to a model approved for it.",
        FindingRule.DataCategoryNotApproved =>
            "The workload handles a data category (CUI, export-controlled, PHI…) that the model's approval does not cover. Fix: request an approval that covers it, or move the workload.",
        FindingRule.UsageNotApproved =>
            "The model is approved, but not for the way this workload uses it (inference, agent or coding assistant). Fix: request an approval for that usage, or change the binding.",
        FindingRule.ApprovalExpiringSoon =>
            "A warning: the approval this binding relies on ends soon. Fix: request a renewal before it ends, or plan a move.",
        FindingRule.ModelDeprecated =>
            "A warning: the model is deprecated and will be retired. Fix: plan its successor before the retirement date.",
        _ => "",
    };

    public static MudBlazor.Color SeverityColor(Severity severity) => severity switch
    {
        Severity.Critical => MudBlazor.Color.Error,
        Severity.High => MudBlazor.Color.Warning,
        Severity.Warning => MudBlazor.Color.Info,
        _ => MudBlazor.Color.Default,
    };
}
