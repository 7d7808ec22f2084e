using Compliance.Data;
using Compliance.Domain;

namespace Compliance.Web.Features.Approvals;

// Grid rows: member-initialised so EF Core can filter and sort over the projection in SQL.

public sealed class ApprovalRow
{
    public int Id { get; init; }
    public int ModelId { get; init; }
    public string ModelName { get; init; } = "";
    public string HostModelId { get; init; } = "";
    public string Provider { get; init; } = "";
    public string Hosting { get; init; } = "";
    public ApprovalStatus Status { get; init; }
    public ImpactLevel MaxImpactLevel { get; init; }
    public DataCategories DataCategories { get; init; }
    public Usages Usages { get; init; }
    public Sectors Sectors { get; init; }
    public DateTime ValidFrom { get; init; }
    public DateTime? ValidUntil { get; init; }
    public string RequestedBy { get; init; } = "";
    public DateTime RequestedAt { get; init; }
    public string? DecidedBy { get; init; }
    public string Justification { get; init; } = "";
    public int? SourceId { get; init; }
    public string? SourceName { get; init; }
    public int Version { get; init; }
}

public sealed class RestrictionRow
{
    public int Id { get; init; }
    public int? ModelId { get; init; }
    public string? ModelName { get; init; }
    public string? Provider { get; init; }
    public string Target { get; init; } = "";
    public Sectors Sectors { get; init; }
    public int Customers { get; init; }
    public ImpactLevel MinImpactLevel { get; init; }
    public Usages Usages { get; init; }
    public List<string> Hostings { get; init; } = [];
    public DateTime EffectiveFrom { get; init; }
    public DateTime TransitionDeadline { get; init; }
    public string Reason { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public DateTime? LiftedAt { get; init; }
    public string? LiftedBy { get; init; }
    public string? LiftRequestedBy { get; init; }
    public string? LiftRequestReason { get; init; }
    public DateTime? DeadlineExtensionTo { get; init; }
    public string? DeadlineExtensionRequestedBy { get; init; }
    public string? DeadlineExtensionReason { get; init; }
    public int Version { get; init; }
    public int? SourceId { get; init; }
    public string? SourceName { get; init; }
}

/// <summary>A source with its four-eyes state, its last sync and how many of its entries are in force.</summary>
public sealed record SourceLine(int Id, string Name, ApprovalListFormat Format, string? Url, string Schedule, bool Enabled,
    SyncStatus LastSyncStatus, DateTime? LastSyncAt, string? LastSyncError, int Approvals, int Restrictions,
    SourceReview Review, string? RequestedBy, string? ReviewedBy, string? ReviewReason, string? PendingConfig, string? PendingRequestedBy,
    string? PinnedSha256, int PendingRevisions, int Version);

public static class ApprovalQueries
{
    public static IQueryable<SourceLine> SourceLines(this ComplianceDb db) =>
        db.ApprovalListSources.OrderBy(s => s.Name)
            .Select(s => new SourceLine(s.Id, s.Name, s.Format, s.Url, s.Schedule, s.Enabled, s.LastSyncStatus, s.LastSyncAt, s.LastSyncError,
                db.Approvals.Count(a => a.SourceId == s.Id && (a.Status == ApprovalStatus.Approved || a.Status == ApprovalStatus.Expired)),
                db.Restrictions.Count(r => r.SourceId == s.Id && r.LiftedAt == null),
                s.Review, s.RequestedBy, s.ReviewedBy, s.ReviewReason, s.PendingConfig, s.PendingRequestedBy, s.PinnedSha256,
                db.ApprovalListRevisions.Count(r => r.SourceId == s.Id && r.Status == RevisionStatus.Pending), s.Version));

    public static IQueryable<ApprovalRow> ApprovalRows(this ComplianceDb db) =>
        from a in db.Approvals
        join m in db.Models on a.ModelId equals m.Id
        select new ApprovalRow
        {
            Id = a.Id,
            ModelId = a.ModelId,
            ModelName = m.DisplayName,
            HostModelId = m.HostModelId,
            Provider = m.Provider,
            Hosting = m.Hosting,
            Status = a.Status,
            MaxImpactLevel = a.MaxImpactLevel,
            DataCategories = a.DataCategories,
            Usages = a.Usages,
            Sectors = a.Sectors,
            ValidFrom = a.ValidFrom,
            ValidUntil = a.ValidUntil,
            RequestedBy = a.RequestedBy,
            RequestedAt = a.RequestedAt,
            DecidedBy = a.DecidedBy,
            Justification = a.Justification,
            SourceId = a.SourceId,
            SourceName = a.Source == null ? null : a.Source.Name,
            Version = a.Version,
        };

    public static IQueryable<RestrictionRow> RestrictionRows(this ComplianceDb db) =>
        from r in db.Restrictions
        select new RestrictionRow
        {
            Id = r.Id,
            ModelId = r.ModelId,
            ModelName = r.Model == null ? null : r.Model.DisplayName,
            Provider = r.Provider,
            Target = r.Model == null ? "Every " + r.Provider + " model" : r.Model.DisplayName + " (" + r.Model.Hosting + ")",
            Sectors = r.Sectors,
            Customers = r.CustomerIds.Count,
            MinImpactLevel = r.MinImpactLevel,
            Usages = r.Usages,
            Hostings = r.Hostings,
            EffectiveFrom = r.EffectiveFrom,
            TransitionDeadline = r.TransitionDeadline,
            Reason = r.Reason,
            CreatedBy = r.CreatedBy,
            LiftedAt = r.LiftedAt,
            LiftedBy = r.LiftedBy,
            LiftRequestedBy = r.LiftRequestedBy,
            LiftRequestReason = r.LiftRequestReason,
            DeadlineExtensionTo = r.DeadlineExtensionTo,
            DeadlineExtensionRequestedBy = r.DeadlineExtensionRequestedBy,
            DeadlineExtensionReason = r.DeadlineExtensionReason,
            Version = r.Version,
            SourceId = r.SourceId,
            SourceName = r.Source == null ? null : r.Source.Name,
        };

    /// <summary>A restriction's usage and hosting scope in words; empty when it takes in every usage and hosting.</summary>
    public static string UseScopeLabel(Usages usages, IReadOnlyList<string> hostings) =>
        string.Join(" · ", new[]
        {
            usages is Usages.None or Usages.All ? null : "used as " + string.Join(", ", usages.Members()),
            hostings.Count == 0 ? null : "on " + string.Join(", ", hostings),
        }.Where(p => p is not null));

    public static string HostingsLabel(IReadOnlyList<string> hostings) => hostings.Count == 0 ? "Any hosting" : string.Join(", ", hostings);

    public static string SectorsLabel(Sectors sectors) =>
        sectors == Sectors.None ? "Any sector" : string.Join(", ", sectors.Members());

    public static string UsagesLabel(Usages usages) =>
        usages == Usages.All ? "All usages" : string.Join(", ", usages.Members());
}
