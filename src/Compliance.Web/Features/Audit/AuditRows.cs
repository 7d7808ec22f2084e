using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Audit;

public sealed class AuditRow
{
    public long Id { get; init; }
    public DateTime At { get; init; }
    /// <summary>The actor's stable subject.</summary>
    public string User { get; init; } = "";

    /// <summary>Their display name at the time, shown beside the subject.</summary>
    public string? UserName { get; init; }

    public string Who => PeopleDirectory.Label(User, UserName);
    public AuditAction Action { get; init; }
    public string Entity { get; init; } = "";
    public string EntityKey { get; init; } = "";
    public string? Reason { get; init; }
}

public static class AuditQueries
{
    public static IQueryable<AuditRow> AuditRows(this ComplianceDb db) =>
        db.AuditEvents.AsNoTracking().Select(e => new AuditRow
        {
            Id = e.Id, At = e.At, User = e.User, UserName = e.UserName, Action = e.Action, Entity = e.Entity, EntityKey = e.EntityKey, Reason = e.Reason,
        });
}
