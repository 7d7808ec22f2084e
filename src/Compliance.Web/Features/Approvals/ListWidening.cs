using Compliance.Domain;

namespace Compliance.Web.Features.Approvals;

/// <summary>
/// Whether a list entry's new form would allow more than the form in force. Widening waits for a second
/// administrator; anything else only makes the rule stricter (or changes words) and applies at once.
/// </summary>
public static class ListWidening
{
    /// <summary>An approval widens when it names another model, a higher level, more categories, usages, sectors, customers or hostings, starts earlier, ends later, or comes back from expiry.</summary>
    public static bool Widens(Approval now, ApprovalListEntry next, ApprovalStatus nextStatus) =>
        next.ModelId != now.ModelId
        || next.MaxImpactLevel > now.MaxImpactLevel
        || (next.DataCategories & ~now.DataCategories) != 0
        || (next.Usages & ~now.Usages) != 0
        || (now.Sectors != Sectors.None && (next.Sectors == Sectors.None || (next.Sectors & ~now.Sectors) != 0))
        || (now.CustomerIds.Count > 0 && (next.CustomerIds.Count == 0 || next.CustomerIds.Except(now.CustomerIds).Any()))
        || (now.Hostings.Count > 0 && (next.Hostings.Count == 0 || next.Hostings.Except(now.Hostings, StringComparer.OrdinalIgnoreCase).Any()))
        || next.ValidFrom < now.ValidFrom
        || (now.ValidUntil is { } until && (next.ValidUntil is null || next.ValidUntil > until))
        || (now.Status != ApprovalStatus.Approved && nextStatus == ApprovalStatus.Approved);

    /// <summary>
    /// A restriction widens (denies less) unless its new scope holds the old one: the same model or provider,
    /// no fewer sectors, customers, usages or hostings, no higher minimum level, no later start and no later transition deadline.
    /// </summary>
    public static bool Widens(Restriction now, RestrictionListEntry next) =>
        next.ModelId != now.ModelId
        || !string.Equals(next.Provider, now.Provider, StringComparison.OrdinalIgnoreCase)
        || (now.Sectors == Sectors.None ? next.Sectors != Sectors.None : next.Sectors != Sectors.None && (now.Sectors & ~next.Sectors) != 0)
        || (now.CustomerIds.Count == 0 ? next.CustomerIds.Count > 0 : next.CustomerIds.Count > 0 && now.CustomerIds.Except(next.CustomerIds).Any())
        || next.MinImpactLevel > now.MinImpactLevel
        || (AnyUsage(now.Usages) & ~AnyUsage(next.Usages)) != 0
        || (now.Hostings.Count == 0 ? next.Hostings.Count > 0 : next.Hostings.Count > 0 && now.Hostings.Except(next.Hostings, StringComparer.OrdinalIgnoreCase).Any())
        || next.EffectiveFrom > now.EffectiveFrom
        || next.TransitionDeadline > now.TransitionDeadline;

    /// <summary>A restriction's usage scope with "none" read as what it means: any usage.</summary>
    public static Usages AnyUsage(Usages usages) => usages == Usages.None ? Usages.All : usages;
}
