using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;
using Compliance.Web.Features.Notifications;

namespace Compliance.Web.Features.Approvals;

/// <summary>What a person asks to approve.</summary>
public sealed record ApprovalRequest(
    int ModelId,
    ImpactLevel MaxImpactLevel,
    DataCategories DataCategories,
    Usages Usages,
    Sectors Sectors,
    IReadOnlyList<int> CustomerIds,
    DateTime ValidFrom,
    DateTime? ValidUntil,
    string? Conditions,
    string Justification,
    IReadOnlyList<string>? Hostings = null);

public enum Decision
{
    Approve,
    Reject,
}

/// <summary>
/// Approvals' write side. Every decision passes through <see cref="DecideAsync"/>, which enforces
/// four-eyes (the decider is an administrator and not the requester, administrators included) and
/// optimistic concurrency (two administrators deciding at once: one wins, the other is told who).
/// </summary>
public sealed class ApprovalService(IDbContextFactory<ComplianceDb> factory, IApprovalsChanged changed, TimeProvider clock,
    INotificationPublisher? notifications = null)
{
    /// <summary>The actor the expiry job's changes are attributed to.</summary>
    public const string ExpiryActor = "system:approval-expiry";

    public Task<Outcome<Approval>> RequestAsync(ClaimsPrincipal requester, ApprovalRequest input, CancellationToken ct = default) =>
        RequestAsync(requester, input, renewalOf: null, ct);

    /// <summary>
    /// The request a renewal starts from: the old approval's scope, valid from its end (or today, once it has ended) for
    /// as long as it ran (a year when it was open-ended).
    /// </summary>
    public static ApprovalRequest RenewalOf(Approval old, DateTime today)
    {
        var from = old.ValidUntil is { } end && end > today ? end : today.Date;
        var until = from + (old.ValidUntil is { } u && u > old.ValidFrom ? u - old.ValidFrom : TimeSpan.FromDays(365));
        return new ApprovalRequest(old.ModelId, old.MaxImpactLevel, old.DataCategories, old.Usages, old.Sectors, [.. old.CustomerIds],
            from, until, old.Conditions, $"Renewal of approval #{old.Id}: {old.Justification}", [.. old.Hostings]);
    }

    /// <summary>
    /// Renews an approval: a new request, pre-filled from the old one (<see cref="RenewalOf"/>) and linked to it, that a
    /// second administrator decides through <see cref="DecideAsync(ClaimsPrincipal, int, Decision, string?, int, CancellationToken)"/>
    /// like any other. Only an approved or expired approval of the app's own (not a list's) is renewed, for the same model.
    /// </summary>
    public async Task<Outcome<Approval>> RenewAsync(ClaimsPrincipal requester, int approvalId, ApprovalRequest input, CancellationToken ct = default)
    {
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var old = await db.Approvals.AsNoTracking().SingleOrDefaultAsync(a => a.Id == approvalId, ct);
            if (old is null)
            {
                return Outcome<Approval>.Missing($"There is no approval {approvalId}.");
            }

            if (old.SourceId is { } sourceId)
            {
                return Outcome<Approval>.Invalid(new FieldError("source", $"This approval comes from list '{SourceName(db, sourceId)}'; renew it there."));
            }

            if (old.Status is not (ApprovalStatus.Approved or ApprovalStatus.Expired))
            {
                return Outcome<Approval>.Invalid(new FieldError("id", $"Approval {approvalId} is {old.Status}: only an approved or expired approval is renewed."));
            }

            if (input.ModelId != old.ModelId)
            {
                return Outcome<Approval>.Invalid(new FieldError("modelId", "A renewal is for the same model; request a new approval for another one."));
            }
        }

        return await RequestAsync(requester, input, approvalId, ct);
    }

    private async Task<Outcome<Approval>> RequestAsync(ClaimsPrincipal requester, ApprovalRequest input, int? renewalOf, CancellationToken ct)
    {
        if (!requester.ActsAs(Roles.Administrator, Roles.ComplianceOfficer))
        {
            return Outcome<Approval>.Invalid(new FieldError("requester", "Only compliance officers and administrators may request an approval."));
        }

        var errors = new List<FieldError>();
        if (!Enum.IsDefined(input.MaxImpactLevel))
        {
            errors.Add(new FieldError("maxImpactLevel", "Choose the maximum impact level: None, IL2, IL4, IL5 or IL6 (IL1 and IL3 are retired)."));
        }

        if (input.Usages == Usages.None || (input.Usages & ~Usages.All) != 0)
        {
            errors.Add(new FieldError("usages", "Choose at least one usage: Inference, Agent or CodingAssistant."));
        }

        if (input.ValidUntil is { } until && until <= input.ValidFrom)
        {
            errors.Add(new FieldError("validUntil", $"The approval must end after it starts ({input.ValidFrom:yyyy-MM-dd})."));
        }

        if (string.IsNullOrWhiteSpace(input.Justification))
        {
            errors.Add(new FieldError("justification", "Say why this model should be approved for this scope (the approver reads it)."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Models.AnyAsync(m => m.Id == input.ModelId, ct))
        {
            errors.Add(new FieldError("modelId", $"There is no model {input.ModelId}."));
        }

        var customerIds = input.CustomerIds.Distinct().Order().ToList();
        if (customerIds.Count > 0)
        {
            var known = await db.Customers.Where(c => customerIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
            if (customerIds.Except(known).ToList() is { Count: > 0 } unknown)
            {
                errors.Add(new FieldError("customerIds", $"There is no customer {string.Join(", ", unknown)}."));
            }
        }

        var hostings = await HostingScope.NormalizeAsync(db, input.Hostings, errors, ct);
        if (errors.Count > 0)
        {
            return Outcome<Approval>.Invalid([.. errors]);
        }

        var approval = new Approval
        {
            ModelId = input.ModelId,
            Status = ApprovalStatus.Requested,
            MaxImpactLevel = input.MaxImpactLevel,
            DataCategories = input.DataCategories,
            Usages = input.Usages,
            Sectors = input.Sectors,
            CustomerIds = customerIds,
            Hostings = hostings,
            ValidFrom = AsUtc(input.ValidFrom),
            ValidUntil = input.ValidUntil is { } u ? AsUtc(u) : null,
            Conditions = string.IsNullOrWhiteSpace(input.Conditions) ? null : input.Conditions.Trim(),
            Justification = input.Justification.Trim(),
            RequestedBy = requester.ActorName(),
            RequestedAt = clock.GetUtcNow().UtcDateTime,
            RenewalOfId = renewalOf,
        };
        db.As(approval.RequestedBy, approval.Justification).Approvals.Add(approval);
        await db.SaveChangesAsync(ct);
        notifications?.Publish(NotificationEvents.ApprovalRequested, new
        {
            approvalId = approval.Id, approval.ModelId, approval.MaxImpactLevel, requestedBy = approval.RequestedBy, approval.Justification,
            link = $"/approvals/{approval.Id}",
        });
        return Outcome<Approval>.Ok(approval);
    }

    /// <summary>
    /// Approves or rejects a requested approval. The one path every decision takes: the decider must be
    /// an administrator other than the requester, and the request must still be at
    /// <paramref name="expectedVersion"/> (what the decider saw).
    /// </summary>
    public Task<Outcome<Approval>> DecideAsync(ClaimsPrincipal decider, int approvalId, Decision decision, string? reason, int expectedVersion, CancellationToken ct = default) =>
        DecideAsync(decider.ActorName(), decider.ActsAs(Roles.Administrator), approvalId, decision, reason, expectedVersion, ct);

    /// <inheritdoc cref="DecideAsync(ClaimsPrincipal, int, Decision, string?, int, CancellationToken)"/>
    public async Task<Outcome<Approval>> DecideAsync(string decider, bool isAdministrator, int approvalId, Decision decision, string? reason, int expectedVersion, CancellationToken ct = default)
    {
        if (!isAdministrator)
        {
            return Outcome<Approval>.Invalid(new FieldError("decider", "Only an administrator may approve or reject a request."));
        }

        if (!Enum.IsDefined(decision))
        {
            return Outcome<Approval>.Invalid(new FieldError("decision", "Choose approve or reject."));
        }

        if (decision == Decision.Reject && string.IsNullOrWhiteSpace(reason))
        {
            return Outcome<Approval>.Invalid(new FieldError("reason", "Say why the request is rejected; the requester reads it."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var approval = await db.Approvals.FindAsync([approvalId], ct);
        if (approval is null)
        {
            return Outcome<Approval>.Missing($"There is no approval {approvalId}.");
        }

        if (SourceOwned(db, approval) is { } owned)
        {
            return Outcome<Approval>.Invalid(owned);
        }

        // Subjects, compared exactly: two people who share a display name stay two people.
        if (string.Equals(approval.RequestedBy, decider, StringComparison.Ordinal))
        {
            return Outcome<Approval>.Invalid(new FieldError("decider",
                $"You requested this approval, so another administrator must decide it (four-eyes)."));
        }

        if (approval.Version != expectedVersion || approval.Status != ApprovalStatus.Requested)
        {
            return Outcome<Approval>.Invalid(Conflict(approval));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        approval.Status = decision == Decision.Approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
        approval.DecidedBy = decider;
        approval.DecidedAt = now;
        approval.DecisionReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        try
        {
            await db.As(decider, approval.DecisionReason ?? (decision == Decision.Approve ? "Approved" : "Rejected")).SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another administrator saved first: tell this one who and when.
            await using var fresh = await factory.CreateDbContextAsync(ct);
            var winner = await fresh.Approvals.AsNoTracking().SingleAsync(a => a.Id == approvalId, ct);
            return Outcome<Approval>.Invalid(Conflict(winner));
        }

        changed.ApprovalsChanged(approval.ModelId);
        notifications?.Publish(NotificationEvents.ApprovalDecided, new
        {
            approvalId = approval.Id, approval.ModelId, status = approval.Status, requestedBy = approval.RequestedBy, decidedBy = decider,
            reason = approval.DecisionReason, link = $"/approvals/{approval.Id}",
        });
        return Outcome<Approval>.Ok(approval);
    }

    /// <summary>Withdraws an approved approval from now on; a reason is required.</summary>
    public async Task<Outcome<Approval>> RevokeAsync(ClaimsPrincipal by, int approvalId, string? reason, int? expectedVersion = null, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<Approval>.Invalid(new FieldError("decider", "Only an administrator may revoke an approval."));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Outcome<Approval>.Invalid(new FieldError("reason", "Say why the approval is revoked; it is recorded in the audit trail."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var approval = await db.Approvals.FindAsync([approvalId], ct);
        if (approval is null)
        {
            return Outcome<Approval>.Missing($"There is no approval {approvalId}.");
        }

        // Entries from a list may be revoked here too: revoking only narrows, and the list cannot silently
        // bring it back (a re-listed entry is a widening revision a second administrator must accept).
        if (expectedVersion is { } v && v != approval.Version)
        {
            return Outcome<Approval>.Invalid(Conflict(approval));
        }

        if (approval.Status != ApprovalStatus.Approved)
        {
            return Outcome<Approval>.Invalid(new FieldError("status", $"Only an approved approval can be revoked; this one is {approval.Status}."));
        }

        var actor = by.ActorName();
        approval.Status = ApprovalStatus.Revoked;
        approval.DecidedBy = actor;
        approval.DecidedAt = clock.GetUtcNow().UtcDateTime;
        approval.DecisionReason = reason.Trim();
        try
        {
            await db.As(actor, approval.DecisionReason).SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await factory.CreateDbContextAsync(ct);
            return Outcome<Approval>.Invalid(Conflict(await fresh.Approvals.AsNoTracking().SingleAsync(a => a.Id == approvalId, ct)));
        }

        changed.ApprovalsChanged(approval.ModelId);
        return Outcome<Approval>.Ok(approval);
    }

    /// <summary>A job: approvals whose validity ended by <paramref name="now"/> become Expired. Returns how many did.</summary>
    public async Task<int> ExpireDueAsync(DateTime now, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var due = await db.Approvals.Where(a => a.Status == ApprovalStatus.Approved && a.ValidUntil != null && a.ValidUntil <= now).ToListAsync(ct);
        foreach (var a in due)
        {
            a.Status = ApprovalStatus.Expired;
        }

        if (due.Count > 0)
        {
            await db.As(ExpiryActor, $"Validity ended on or before {now:yyyy-MM-dd HH:mm} UTC").SaveChangesAsync(ct);
            changed.ApprovalsChanged();
        }

        return due.Count;
    }

    /// <summary>The job entry point, for a scheduler: expires what is due now.</summary>
    public Task<int> ExpireDueNowAsync(CancellationToken ct) => ExpireDueAsync(clock.GetUtcNow().UtcDateTime, ct);

    internal static FieldError Conflict(Approval current) => new("version", current.Status switch
    {
        ApprovalStatus.Requested => "The request was changed meanwhile; reload it and decide again.",
        ApprovalStatus.Expired => $"The approval expired meanwhile (valid until {current.ValidUntil:yyyy-MM-dd}).",
        ApprovalStatus.Revoked => $"This approval was revoked by {current.DecidedBy ?? "someone"} at {current.DecidedAt:yyyy-MM-dd HH:mm} UTC meanwhile; reload to see it.",
        _ => $"This request was decided by {current.DecidedBy ?? "someone"} at {current.DecidedAt:yyyy-MM-dd HH:mm} UTC meanwhile ({current.Status}); reload to see it.",
    });

    internal static FieldError? SourceOwned(ComplianceDb db, Approval approval) =>
        approval.SourceId is { } sourceId
            ? new FieldError("source", $"This approval comes from list '{SourceName(db, sourceId)}'; change it there.")
            : null;

    internal static string SourceName(ComplianceDb db, int sourceId) =>
        db.ApprovalListSources.Where(s => s.Id == sourceId).Select(s => s.Name).FirstOrDefault() ?? $"#{sourceId}";

    internal static DateTime AsUtc(DateTime d) => d.Kind switch
    {
        DateTimeKind.Utc => d,
        DateTimeKind.Local => d.ToUniversalTime(),
        _ => DateTime.SpecifyKind(d, DateTimeKind.Utc),
    };
}
