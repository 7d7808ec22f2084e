using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;
using Compliance.Web.Features.Notifications;

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
    string Reason,
    Usages Usages = Usages.All,
    IReadOnlyList<string>? Hostings = null);

/// <summary>Creates and lifts restrictions (administrators only); each change carries its reason into the audit trail.</summary>
public sealed class RestrictionService(IDbContextFactory<ComplianceDb> factory, IApprovalsChanged changed, TimeProvider clock,
    INotificationPublisher? notifications = null)
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

        if ((input.Usages & ~Usages.All) != 0)
        {
            errors.Add(new FieldError("usages", "Usages are Inference, Agent and CodingAssistant (none chosen means any usage)."));
        }

        var hostings = await HostingScope.NormalizeAsync(db, input.Hostings, errors, ct);
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
            Usages = input.Usages == Usages.None ? Usages.All : input.Usages,
            Hostings = hostings,
            EffectiveFrom = ApprovalService.AsUtc(input.EffectiveFrom),
            TransitionDeadline = ApprovalService.AsUtc(input.TransitionDeadline),
            Reason = input.Reason.Trim(),
            CreatedBy = actor,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.As(actor, restriction.Reason).Restrictions.Add(restriction);
        await db.SaveChangesAsync(ct);
        changed.RestrictionsChanged();
        notifications?.Publish(NotificationEvents.RestrictionCreated, new
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

    /// <summary>
    /// Asks for a later transition deadline, with a reason. Extending gives affected workloads (and their waivers) more
    /// time, so it takes two administrators like lifting: another one confirms it with <see cref="ConfirmDeadlineExtensionAsync"/>.
    /// </summary>
    public async Task<Outcome<Restriction>> RequestDeadlineExtensionAsync(ClaimsPrincipal by, int restrictionId, DateTime newDeadline, string? reason, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<Restriction>.Invalid(new FieldError("by", "Only an administrator may extend a restriction's deadline."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var extensible = await ExtensibleAsync(db, restrictionId, ct);
        if (!extensible.Succeeded)
        {
            return extensible;
        }

        var restriction = extensible.Value!;
        newDeadline = ApprovalService.AsUtc(newDeadline);
        var errors = new List<FieldError>();
        if (restriction.DeadlineExtensionRequestedBy is { } pending)
        {
            errors.Add(new FieldError("id", $"An extension to {restriction.DeadlineExtensionTo:yyyy-MM-dd} requested by {pending} is waiting for confirmation; confirm or withdraw it first."));
        }

        if (newDeadline <= restriction.TransitionDeadline)
        {
            errors.Add(new FieldError("transitionDeadline", $"An extension moves the deadline later than {restriction.TransitionDeadline:yyyy-MM-dd}."));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(new FieldError("reason", "Say why the workloads need more time; it is recorded in the audit trail."));
        }
        else if (reason.Trim().Length > 2000)
        {
            errors.Add(new FieldError("reason", "The reason is limited to 2,000 characters."));
        }

        if (errors.Count > 0)
        {
            return Outcome<Restriction>.Invalid([.. errors]);
        }

        var actor = by.ActorName();
        (restriction.DeadlineExtensionTo, restriction.DeadlineExtensionRequestedBy, restriction.DeadlineExtensionRequestedAt, restriction.DeadlineExtensionReason) =
            (newDeadline, actor, clock.GetUtcNow().UtcDateTime, reason!.Trim());
        return await SaveAsync(db, restriction, actor, $"Requested a deadline extension to {newDeadline:yyyy-MM-dd}: {reason.Trim()}", ct);
    }

    /// <summary>Confirms a requested extension (another administrator than the requester): the deadline moves, and with it the waivers' limit.</summary>
    public async Task<Outcome<Restriction>> ConfirmDeadlineExtensionAsync(ClaimsPrincipal by, int restrictionId, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<Restriction>.Invalid(new FieldError("by", "Only an administrator may confirm a deadline extension."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var extensible = await ExtensibleAsync(db, restrictionId, ct);
        if (!extensible.Succeeded)
        {
            return extensible;
        }

        var restriction = extensible.Value!;
        if (restriction.DeadlineExtensionRequestedBy is not { } requester || restriction.DeadlineExtensionTo is not { } to)
        {
            return Outcome<Restriction>.Invalid(new FieldError("id", "No deadline extension of this restriction is waiting for confirmation."));
        }

        var actor = by.ActorName();
        if (string.Equals(requester, actor, StringComparison.Ordinal))
        {
            return Outcome<Restriction>.Invalid(new FieldError("by", "You requested this extension, so another administrator must confirm it (four-eyes)."));
        }

        var why = $"Confirmed the deadline extension from {restriction.TransitionDeadline:yyyy-MM-dd} to {to:yyyy-MM-dd} requested by {requester}: {restriction.DeadlineExtensionReason}";
        restriction.TransitionDeadline = to;
        (restriction.DeadlineExtensionTo, restriction.DeadlineExtensionRequestedBy, restriction.DeadlineExtensionRequestedAt, restriction.DeadlineExtensionReason) = (null, null, null, null);
        var outcome = await SaveAsync(db, restriction, actor, why, ct);
        if (outcome.Succeeded)
        {
            changed.RestrictionsChanged();
        }

        return outcome;
    }

    /// <summary>Drops a pending extension request (any administrator): the deadline stays.</summary>
    public async Task<Outcome<Restriction>> WithdrawDeadlineExtensionAsync(ClaimsPrincipal by, int restrictionId, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<Restriction>.Invalid(new FieldError("by", "Only an administrator may withdraw a deadline extension request."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var restriction = await db.Restrictions.FindAsync([restrictionId], ct);
        if (restriction is null)
        {
            return Outcome<Restriction>.Missing($"There is no restriction {restrictionId}.");
        }

        if (restriction.DeadlineExtensionRequestedBy is null)
        {
            return Outcome<Restriction>.Invalid(new FieldError("id", "No deadline extension of this restriction is waiting for confirmation."));
        }

        (restriction.DeadlineExtensionTo, restriction.DeadlineExtensionRequestedBy, restriction.DeadlineExtensionRequestedAt, restriction.DeadlineExtensionReason) = (null, null, null, null);
        return await SaveAsync(db, restriction, by.ActorName(), "Withdrew the deadline extension request", ct);
    }

    private static async Task<Outcome<Restriction>> ExtensibleAsync(ComplianceDb db, int restrictionId, CancellationToken ct)
    {
        var restriction = await db.Restrictions.FindAsync([restrictionId], ct);
        return restriction is null ? Outcome<Restriction>.Missing($"There is no restriction {restrictionId}.")
            : restriction.SourceId is { } sourceId ? Outcome<Restriction>.Invalid(new FieldError("source", $"This restriction comes from list '{ApprovalService.SourceName(db, sourceId)}'; change its deadline there."))
            : restriction.LiftedAt is not null ? Outcome<Restriction>.Invalid(new FieldError("id", "This restriction was lifted: there is no deadline left to extend."))
            : Outcome<Restriction>.Ok(restriction);
    }

    private static async Task<Outcome<Restriction>> SaveAsync(ComplianceDb db, Restriction restriction, string actor, string reason, CancellationToken ct)
    {
        try
        {
            await db.As(actor, reason).SaveChangesAsync(ct);
            return Outcome<Restriction>.Ok(restriction);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<Restriction>.Invalid(new FieldError("version", "The restriction was changed meanwhile; reload it and try again."));
        }
    }
}
