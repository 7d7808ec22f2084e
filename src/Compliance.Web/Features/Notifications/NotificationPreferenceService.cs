using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Notifications;

/// <summary>Each signed-in person's email choices, stored by subject; a change is audited as theirs.</summary>
public sealed class NotificationPreferenceService(IDbContextFactory<ComplianceDb> factory)
{
    public const string Route = "/notifications/preferences";

    /// <summary>The person's choices (every kind on when they never chose).</summary>
    public async Task<NotificationPreference> GetAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var subject = user.ActorName();
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.Subject == subject, ct) ?? new NotificationPreference { Subject = subject };
    }

    /// <summary>Saves the person's own choices; the subject is always theirs, whatever the argument carries.</summary>
    public async Task SaveAsync(ClaimsPrincipal user, bool restrictionEmails, bool approvalEmails, bool dailyDigest, CancellationToken ct = default)
    {
        var subject = user.ActorName();
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.NotificationPreferences.FirstOrDefaultAsync(p => p.Subject == subject, ct);
        if (row is null)
        {
            row = new NotificationPreference { Subject = subject };
            db.NotificationPreferences.Add(row);
        }

        (row.RestrictionEmails, row.ApprovalEmails, row.DailyDigest) = (restrictionEmails, approvalEmails, dailyDigest);
        await db.As(subject, "Email preferences changed").SaveChangesAsync(ct);
    }
}
