using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Approvals;

/// <summary>A deny rule as an administrator enters it: a model, or every model of a provider.</summary>
public sealed record RestrictionInput(
    int? ModelId,
    string? Provider,
    Sectors Sectors,
    IReadOnlyList<int> CustomerIds,
    ImpactLevel MinImpactLevel,
    DateTime EffectiveFrom,
    DateTime TransitionDeadline,
    string Reason);

/// <summary>Creates and lifts restrictions (administrators only); each change carries its reason into the audit trail.</summary>
public sealed class RestrictionService(IDbContextFactory<ComplianceDb> factory, IApprovalsChanged changed, TimeProvider clock,
    Checks.Notifications.INotificationPublisher? notifications = null)
{
    public async Task<Outcome<Restriction>> CreateAsync(ClaimsPrincipal by, RestrictionInput input, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<Restriction>.Invalid(new FieldError("by", "Only an administrator may restrict a model or provider."));
        }

        var errors = new List<FieldError>();
        var provider = string.IsNullOrWhiteSpace(input.Provider) ? null : input.Provider.Trim();
        if (input.ModelId is null == (provider is null))
        {
            errors.Add(new FieldError("modelId", "Restrict either one model or a whole provider (not both, not neither)."));
        }

        if (!Enum.IsDefined(input.MinImpactLevel))
        {
            errors.Add(new FieldError("minImpactLevel", "Choose the lowest impact level it applies to: None, IL2, IL4, IL5 or IL6."));
        }

        if (input.TransitionDeadline < input.EffectiveFrom)
        {
            errors.Add(new FieldError("transitionDeadline", $"The transition deadline cannot be before the restriction takes effect ({input.EffectiveFrom:yyyy-MM-dd})."));
        }

        if (string.IsNullOrWhiteSpace(input.Reason))
        {
            errors.Add(new FieldError("reason", "Say why: the teams moving their workloads read it."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (input.ModelId is { } modelId && !await db.Models.AnyAsync(m => m.Id == modelId, ct))
        {
            errors.Add(new FieldError("modelId", $"There is no model {modelId}."));
        }

        if (provider is not null && input.ModelId is null)
        {
            var known = await db.Models.Where(m => m.Provider == provider).Select(m => m.Provider).FirstOrDefaultAsync(ct)
                ?? (await db.Models.Select(m => m.Provider).Distinct().ToListAsync(ct)).FirstOrDefault(p => string.Equals(p, provider, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                errors.Add(new FieldError("provider", $"No model in the inventory is from provider '{provider}'; check the spelling."));
            }
            else
            {
                provider = known;
            }
        }

        var customerIds = input.CustomerIds.Distinct().Order().ToList();
        if (customerIds.Count > 0)
        {
            var found = await db.Customers.Where(c => customerIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
            if (customerIds.Except(found).ToList() is { Count: > 0 } unknown)
            {
                errors.Add(new FieldError("customerIds", $"There is no customer {string.Join(", ", unknown)}."));
            }
        }

        if (errors.Count > 0)
        {
            return Outcome<Restriction>.Invalid([.. errors]);
        }

        var actor = by.ActorName();
        var restriction = new Restriction
        {
            ModelId = input.ModelId,
            Provider = input.ModelId is null ? provider : null,
            Sectors = input.Sectors,
            CustomerIds = customerIds,
            MinImpactLevel = input.MinImpactLevel,
            EffectiveFrom = ApprovalService.AsUtc(input.EffectiveFrom),
            TransitionDeadline = ApprovalService.AsUtc(input.TransitionDeadline),
            Reason = input.Reason.Trim(),
            CreatedBy = actor,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.As(actor, restriction.Reason).Restrictions.Add(restriction);
        await db.SaveChangesAsync(ct);
        changed.RestrictionsChanged();
        notifications?.Publish(Checks.Notifications.NotificationEvents.RestrictionCreated, new
        {
            restrictionId = restriction.Id, restriction.ModelId, restriction.Provider, sectors = restriction.Sectors.ToString(), restriction.CustomerIds,
            restriction.MinImpactLevel, restriction.EffectiveFrom, restriction.TransitionDeadline, restriction.Reason, createdBy = actor,
            link = $"/restrictions/{restriction.Id}",
        });
        return Outcome<Restriction>.Ok(restriction);
    }

    /// <summary>
    /// Lifting widens what is allowed, so it takes two administrators: the first call requests the lift (with its
    /// reason), a call by another administrator confirms it and ends the restriction from now on. The requester
    /// cannot confirm their own request (four-eyes); <see cref="WithdrawLiftAsync"/> drops a request.
    /// </summary>
    public async Task<Outcome<Restriction>> LiftAsync(ClaimsPrincipal by, int restrictionId, string? reason, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<Restriction>.Invalid(new FieldError("by", "Only an administrator may lift a restriction."));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Outcome<Restriction>.Invalid(new FieldError("reason", "Say why the restriction is lifted; it is recorded in the audit trail."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var restriction = await db.Restrictions.FindAsync([restrictionId], ct);
        if (restriction is null)
        {
            return Outcome<Restriction>.Missing($"There is no restriction {restrictionId}.");
        }

        if (restriction.SourceId is { } sourceId)
        {
            return Outcome<Restriction>.Invalid(new FieldError("source", $"This restriction comes from list '{ApprovalService.SourceName(db, sourceId)}'; change it there."));
        }

        if (restriction.LiftedAt is not null)
        {
            return Outcome<Restriction>.Invalid(new FieldError("id", $"This restriction was already lifted by {restriction.LiftedBy} at {restriction.LiftedAt:yyyy-MM-dd HH:mm} UTC."));
        }

        var actor = by.ActorName();
        var now = clock.GetUtcNow().UtcDateTime;
        var lifting = restriction.LiftRequestedBy is not null;
        if (lifting && string.Equals(restriction.LiftRequestedBy, actor, StringComparison.Ordinal))
        {
            return Outcome<Restriction>.Invalid(new FieldError("by", "You requested this lift, so another administrator must confirm it (four-eyes)."));
        }

        if (lifting)
        {
            (restriction.LiftedBy, restriction.LiftedAt, restriction.LiftReason) = (actor, now, restriction.LiftRequestReason);
        }
        else
        {
            (restriction.LiftRequestedBy, restriction.LiftRequestedAt, restriction.LiftRequestReason) = (actor, now, reason.Trim());
        }

        try
        {
            await db.As(actor, lifting ? $"Confirmed the lift requested by {restriction.LiftRequestedBy}: {reason.Trim()}" : $"Requested a lift: {reason.Trim()}").SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<Restriction>.Invalid(new FieldError("version", "The restriction was changed meanwhile; reload it and try again."));
        }

        if (lifting)
        {
            changed.RestrictionsChanged();
        }

        return Outcome<Restriction>.Ok(restriction);
    }

    /// <summary>Drops a pending lift request (any administrator): the restriction stays in effect.</summary>
    public async Task<Outcome<Restriction>> WithdrawLiftAsync(ClaimsPrincipal by, int restrictionId, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<Restriction>.Invalid(new FieldError("by", "Only an administrator may withdraw a lift request."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var restriction = await db.Restrictions.FindAsync([restrictionId], ct);
        if (restriction is null)
        {
            return Outcome<Restriction>.Missing($"There is no restriction {restrictionId}.");
        }

        if (restriction.LiftRequestedBy is null || restriction.LiftedAt is not null)
        {
            return Outcome<Restriction>.Invalid(new FieldError("id", "No lift of this restriction is waiting for confirmation."));
        }

        (restriction.LiftRequestedBy, restriction.LiftRequestedAt, restriction.LiftRequestReason) = (null, null, null);
        try
        {
            await db.As(by.ActorName(), "Withdrew the lift request").SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<Restriction>.Invalid(new FieldError("version", "The restriction was changed meanwhile; reload it and try again."));
        }

        return Outcome<Restriction>.Ok(restriction);
    }
}
