using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Findings;

/// <summary>
/// A compliance officer accepts a finding until a date (at most a year ahead), with a justification; or withdraws
/// that acceptance. The one place waivers are granted and revoked, so the rules hold for every page and API.
/// </summary>
public sealed class WaiverService(IDbContextFactory<ComplianceDb> factory, TimeProvider clock)
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(365);

    /// <summary>Grants a waiver; the finding is waived at once (the next check keeps it so until the waiver ends).</summary>
    /// <exception cref="UnauthorizedAccessException">The user is not a compliance officer.</exception>
    /// <exception cref="ValidationException">No justification, an expiry not in the next year or after the transition deadline of the restriction
    /// behind the finding, or a finding that is gone or resolved.</exception>
    public async Task<Waiver> GrantAsync(ClaimsPrincipal user, long findingId, string justification, DateTime expiresAt, CancellationToken ct)
    {
        RequireOfficer(user);
        var now = clock.GetUtcNow().UtcDateTime;
        justification = justification?.Trim() ?? "";
        if (justification.Length == 0)
        {
            throw new ValidationException("A waiver needs a justification: why is this finding acceptable until then?");
        }

        if (justification.Length > 2000)
        {
            throw new ValidationException("The justification is limited to 2,000 characters.");
        }

        expiresAt = DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc);
        if (expiresAt <= now)
        {
            throw new ValidationException("A waiver must expire in the future.");
        }

        if (expiresAt > now + MaxDuration)
        {
            throw new ValidationException($"A waiver lasts at most one year: choose {now + MaxDuration:yyyy-MM-dd} or earlier.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        db.As(user.ActorName(), justification);
        var finding = await db.Findings.SingleOrDefaultAsync(f => f.Id == findingId, ct)
            ?? throw new ValidationException($"Finding #{findingId} does not exist.");
        if (finding.Status == FindingStatus.Resolved)
        {
            throw new ValidationException($"Finding #{findingId} is resolved: there is nothing to waive.");
        }

        // A waiver accepts a finding while the workload moves; it cannot outlast the restriction's own deadline.
        if (finding.RestrictionId is { } restrictionId
            && await db.Restrictions.Where(r => r.Id == restrictionId).Select(r => (DateTime?)r.TransitionDeadline).SingleOrDefaultAsync(ct) is { } deadline
            && expiresAt > deadline)
        {
            throw new ValidationException(deadline <= now
                ? $"Restriction #{restrictionId}'s transition deadline ({deadline:yyyy-MM-dd}) has passed: move the workload instead of waiving the finding."
                : $"Restriction #{restrictionId} must be met by {deadline:yyyy-MM-dd}: a waiver of its finding can run until then at most.");
        }

        var waiver = new Waiver
        {
            FindingId = finding.Id, Justification = justification, GrantedBy = user.ActorName(), GrantedAt = now, ExpiresAt = expiresAt,
        };
        db.Waivers.Add(waiver);
        finding.Status = FindingStatus.Waived;
        await db.SaveChangesAsync(ct);
        return waiver;
    }

    /// <summary>Ends a waiver now; its finding is open again unless another waiver is in force.</summary>
    public async Task RevokeAsync(ClaimsPrincipal user, int waiverId, string reason, CancellationToken ct)
    {
        RequireOfficer(user);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ValidationException("Say why the waiver is withdrawn.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        db.As(user.ActorName(), reason.Trim());
        var waiver = await db.Waivers.Include(w => w.Finding).SingleOrDefaultAsync(w => w.Id == waiverId, ct)
            ?? throw new ValidationException($"Waiver #{waiverId} does not exist.");
        if (!waiver.IsInForceAt(now))
        {
            throw new ValidationException($"Waiver #{waiverId} is no longer in force.");
        }

        waiver.RevokedAt = now;
        waiver.RevokedBy = user.ActorName();
        var otherInForce = await db.Waivers.Where(Waiver.InForceAt(now))
            .AnyAsync(w => w.FindingId == waiver.FindingId && w.Id != waiver.Id, ct);
        if (waiver.Finding!.Status == FindingStatus.Waived && !otherInForce)
        {
            waiver.Finding.Status = FindingStatus.Open;
        }

        await db.SaveChangesAsync(ct);
    }

    private static void RequireOfficer(ClaimsPrincipal user)
    {
        if (!user.ActsAs(Roles.ComplianceOfficer))
        {
            throw new UnauthorizedAccessException("Only a compliance officer may grant or withdraw a waiver.");
        }
    }
}
