using System.Globalization;
using Compliance.Domain;

namespace Compliance.Web.Features.Checks;

/// <summary>One rule a binding breaks (or a warning it carries), with the approval or restriction behind it.</summary>
public sealed record Reason(FindingRule Rule, Severity Severity, string Message, int? RestrictionId = null, int? ApprovalId = null)
{
    public bool IsWarning => Severity == Severity.Warning;
}

/// <summary>The verdict on one binding: allowed when no rule fails; warnings do not forbid.</summary>
public sealed record Evaluation(bool Allowed, IReadOnlyList<Reason> Reasons)
{
    public static readonly Evaluation Compliant = new(true, []);
}

/// <summary>
/// The evaluation rule of DESIGN.md as one pure function. A binding of model M to workload W (customer C) at T:
/// <list type="number">
/// <item>a restriction in effect at T matching (M, W, C) — its model or provider, sectors, customers, minimum level, usages
/// and hostings (M's) all taking the binding in — <see cref="FindingRule.Restricted"/> (deny wins, whatever the approvals say);</item>
/// <item>M retired at T → <see cref="FindingRule.ModelRetired"/>;</item>
/// <item>no approval of M that is Approved, valid at T and scoped to C → <see cref="FindingRule.Unapproved"/>,
/// or <see cref="FindingRule.ApprovalExpired"/> when one scoped to C has ended;</item>
/// <item>among those, one approval must cover the workload's level, then every data category, then the usage:
/// the best candidate's first gap is reported (<see cref="FindingRule.ImpactLevelExceeded"/>,
/// <see cref="FindingRule.DataCategoryNotApproved"/>, <see cref="FindingRule.UsageNotApproved"/>).</item>
/// </list>
/// The three groups (restriction, lifecycle, approval) are independent facts, so each contributes at most one reason:
/// a restricted binding that is also unapproved says both, and lifting the restriction leaves the other standing.
/// Warnings (<see cref="FindingRule.ApprovalExpiringSoon"/>, <see cref="FindingRule.ModelDeprecated"/>) are given
/// only on compliant bindings.
/// </summary>
public static class BindingEvaluator
{
    public static readonly TimeSpan DefaultExpiringSoonWindow = TimeSpan.FromDays(30);

    public static Severity SeverityOf(FindingRule rule) => rule switch
    {
        FindingRule.Restricted or FindingRule.ModelRetired => Severity.Critical,
        FindingRule.ApprovalExpiringSoon or FindingRule.ModelDeprecated => Severity.Warning,
        _ => Severity.High,
    };

    /// <summary>
    /// Evaluates one binding. <paramref name="approvalsOfModel"/> are the approvals of the binding's model (any status;
    /// only Approved and Expired ones count); <paramref name="restrictionsOfModel"/> are restrictions naming the model
    /// or its provider (any date; the ones in effect at <paramref name="at"/> count).
    /// </summary>
    public static Evaluation Evaluate(
        in BindingFacts binding,
        Model model,
        IReadOnlyList<Approval> approvalsOfModel,
        IReadOnlyList<Restriction> restrictionsOfModel,
        DateTime at,
        TimeSpan expiringSoonWindow)
    {
        List<Reason>? reasons = null;

        if (MatchingRestriction(binding, model, restrictionsOfModel, at) is { } restriction)
        {
            (reasons ??= []).Add(new Reason(FindingRule.Restricted, Severity.Critical, RestrictedMessage(model, restriction), RestrictionId: restriction.Id));
        }

        if (model.RetiredOn <= at)
        {
            (reasons ??= []).Add(new Reason(FindingRule.ModelRetired, Severity.Critical,
                $"{model.DisplayName} ({model.Hosting}) was retired on {Day(model.RetiredOn.Value)}; nothing may use it any more."));
        }

        var (approvalReason, covering) = ApprovalVerdict(binding, model, approvalsOfModel, at);
        if (approvalReason is not null)
        {
            (reasons ??= []).Add(approvalReason);
        }

        if (reasons is not null)
        {
            return new Evaluation(false, reasons);
        }

        // Compliant: the warnings.
        if (covering!.ValidUntil is { } until && until <= at + expiringSoonWindow)
        {
            reasons = [new Reason(FindingRule.ApprovalExpiringSoon, Severity.Warning,
                $"The approval of {model.DisplayName} (#{covering.Id}) ends on {Day(until)}, in {DaysText(until - at)}: renew it or plan a move.",
                ApprovalId: covering.Id)];
        }

        if (model.DeprecatedOn <= at)
        {
            (reasons ??= []).Add(new Reason(FindingRule.ModelDeprecated, Severity.Warning,
                $"{model.DisplayName} ({model.Hosting}) has been deprecated since {Day(model.DeprecatedOn.Value)}" +
                (model.RetiredOn is { } r ? $" and retires on {Day(r)}." : "; plan its successor.")));
        }

        return reasons is null ? Evaluation.Compliant : new Evaluation(true, reasons);
    }

    /// <summary>The restriction in effect that matches; the one with the earliest deadline when several do.</summary>
    public static Restriction? MatchingRestriction(in BindingFacts binding, Model model, IReadOnlyList<Restriction> restrictions, DateTime at)
    {
        Restriction? found = null;
        for (var i = 0; i < restrictions.Count; i++)
        {
            var r = restrictions[i];
            if (!r.IsInEffectAt(at) || !Names(r, model) || !r.Sectors.Covers(binding.Sector)
                || (r.CustomerIds.Count > 0 && !r.CustomerIds.Contains(binding.CustomerId))
                || binding.ImpactLevel < r.MinImpactLevel || !r.CoversUse(binding.Usage, model.Hosting))
            {
                continue;
            }

            if (found is null || r.TransitionDeadline < found.TransitionDeadline || (r.TransitionDeadline == found.TransitionDeadline && r.Id < found.Id))
            {
                found = r;
            }
        }

        return found;
    }

    /// <summary>Does the restriction name this model, directly or through its provider?</summary>
    public static bool Names(Restriction restriction, Model model) =>
        restriction.ModelId is { } id ? id == model.Id : string.Equals(restriction.Provider, model.Provider, StringComparison.OrdinalIgnoreCase);

    /// <summary>Rules 3–6: the failing reason, or the approval that covers the binding (the one lasting longest).</summary>
    private static (Reason? Failure, Approval? Covering) ApprovalVerdict(in BindingFacts binding, Model model, IReadOnlyList<Approval> approvals, DateTime at)
    {
        Approval? covering = null, best = null, ended = null, notYet = null;
        var bestScore = -1;
        for (var i = 0; i < approvals.Count; i++)
        {
            var a = approvals[i];
            // An approval limited to other hostings says nothing about this model's: out of scope, like another customer's.
            if (a.Status is not (ApprovalStatus.Approved or ApprovalStatus.Expired) || !a.CoversCustomer(binding.CustomerId, binding.Sector)
                || !a.Hostings.CoversHosting(model.Hosting))
            {
                continue;
            }

            if (a.Status == ApprovalStatus.Expired || a.ValidUntil <= at)
            {
                if (ended is null || EndOf(a) > EndOf(ended))
                {
                    ended = a;
                }

                continue;
            }

            if (a.ValidFrom > at)
            {
                notYet ??= a;
                continue;
            }

            // Valid and in scope: how far along the rule does it get?
            var score = binding.ImpactLevel > a.MaxImpactLevel ? 0
                : (binding.DataCategories & ~a.DataCategories) != 0 ? 1
                : (a.Usages & binding.Usage.ToSet()) == 0 ? 2
                : 3;
            if (score == 3)
            {
                if (covering is null || Outlasts(a, covering))
                {
                    covering = a;
                }
            }
            else if (score > bestScore || (score == bestScore && Outlasts(a, best!)))
            {
                best = a;
                bestScore = score;
            }
        }

        if (covering is not null)
        {
            return (null, covering);
        }

        if (best is null)
        {
            if (ended is not null)
            {
                return (new Reason(FindingRule.ApprovalExpired, Severity.High,
                    $"The approval of {model.DisplayName} (#{ended.Id}) for this customer {(ended.Status == ApprovalStatus.Expired && ended.ValidUntil is null ? "has expired" : $"ended on {Day(EndOf(ended))}")}; no other approval is in force.",
                    ApprovalId: ended.Id), null);
            }

            var message = notYet is not null
                ? $"{model.DisplayName} ({model.Hosting}) has an approval (#{notYet.Id}) that only takes effect on {Day(notYet.ValidFrom)}; nothing approves it now."
                : $"{model.DisplayName} ({model.Hosting}) has no approval in force for {binding.Sector} customer #{binding.CustomerId}.";
            return (new Reason(FindingRule.Unapproved, Severity.High, message, ApprovalId: notYet?.Id), null);
        }

        return (bestScore switch
        {
            0 => new Reason(FindingRule.ImpactLevelExceeded, Severity.High,
                $"The workload is {binding.ImpactLevel}; {model.DisplayName} is approved only up to {best.MaxImpactLevel} (approval #{best.Id}).", ApprovalId: best.Id),
            1 => new Reason(FindingRule.DataCategoryNotApproved, Severity.High,
                $"The workload handles {List(binding.DataCategories & ~best.DataCategories)}, which the approval of {model.DisplayName} (#{best.Id}) does not cover (it covers {List(best.DataCategories)}).",
                ApprovalId: best.Id),
            _ => new Reason(FindingRule.UsageNotApproved, Severity.High,
                $"{model.DisplayName} is approved for {List(best.Usages)} (approval #{best.Id}), not as {UsageText(binding.Usage)}.", ApprovalId: best.Id),
        }, null);
    }

    private static DateTime EndOf(Approval a) => a.ValidUntil ?? a.DecidedAt ?? a.ValidFrom;

    private static bool Outlasts(Approval a, Approval b) =>
        (a.ValidUntil ?? DateTime.MaxValue) > (b.ValidUntil ?? DateTime.MaxValue)
        || ((a.ValidUntil ?? DateTime.MaxValue) == (b.ValidUntil ?? DateTime.MaxValue) && a.Id < b.Id);

    private static string RestrictedMessage(Model model, Restriction r)
    {
        var what = r.ModelId is null ? $"Every {r.Provider} model" : model.DisplayName;
        var scope = new List<string>();
        if (r.Sectors != Sectors.None) scope.Add($"{List(r.Sectors)} sector");
        if (r.CustomerIds.Count > 0) scope.Add("named customers");
        if (r.MinImpactLevel > ImpactLevel.None) scope.Add($"{r.MinImpactLevel} and above");
        var scopeText = scope.Count == 0 ? "all workloads" : string.Join(", ", scope) + " workloads";
        if (r.Usages is not (Usages.None or Usages.All)) scopeText += $" used as {List(r.Usages)}";
        if (r.Hostings.Count > 0) scopeText += $" on {string.Join(", ", r.Hostings)}";
        return $"{what} is restricted for {scopeText} since {Day(r.EffectiveFrom)} (restriction #{r.Id}): move this binding by {Day(r.TransitionDeadline)}. {r.Reason}".Trim();
    }

    private static string UsageText(Usage usage) => usage switch
    {
        Usage.CodingAssistant => "a coding assistant",
        Usage.Agent => "an agent",
        _ => "inference",
    };

    private static string List<T>(T set) where T : struct, Enum
    {
        var members = set.Members().Select(m => m.ToString()).ToList();
        return members.Count == 0 ? "nothing" : string.Join(", ", members);
    }

    private static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string DaysText(TimeSpan span)
    {
        var days = (int)Math.Ceiling(span.TotalDays);
        return days <= 0 ? "less than a day" : days == 1 ? "1 day" : $"{days} days";
    }
}
