using System.Security.Claims;
using System.Text.Json;
using Cronos;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Approvals;

/// <summary>A source as an administrator enters it: a URL or an uploaded file, a cron schedule, and optionally the SHA-256 the list must have.</summary>
public sealed record ApprovalListSourceInput(string Name, ApprovalListFormat Format, string? Url, byte[]? UploadedContent, string Schedule, bool Enabled = true, string? PinnedSha256 = null);

/// <summary>A source's configuration as a pending change stores it (the file, if any, travels beside it).</summary>
public sealed record SourceConfig(string Name, ApprovalListFormat Format, string? Url, string Schedule, bool Enabled, string? PinnedSha256, bool NewFile)
{
    public static SourceConfig? Parse(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<SourceConfig>(json, SyncDiff.Json);

    public string ToJson() => JsonSerializer.Serialize(this, SyncDiff.Json);
}

/// <summary>
/// Adds and changes approval list sources and keeps their schedules in step — under four-eyes, like an
/// approval: a new source, and any change of an approved one except pausing it, is a request that a
/// second administrator decides (<see cref="DecideAsync"/>); until then nothing new is fetched. A sync's
/// widening entries wait as a revision that an administrator other than the list's sponsor accepts
/// (<see cref="DecideRevisionAsync"/>).
/// </summary>
public sealed class ApprovalListSourceService(IDbContextFactory<ComplianceDb> factory, IApprovalListScheduler scheduler, IServiceProvider services, TimeProvider clock)
{
    /// <summary>The shortest time between two scheduled syncs: a list is a document, not a feed.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(5);

    public async Task<Outcome<ApprovalListSource>> CreateAsync(ClaimsPrincipal by, ApprovalListSourceInput input, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var errors = await ValidateAsync(db, by, input, null, ct);
        if (errors.Count > 0)
        {
            return Outcome<ApprovalListSource>.Invalid([.. errors]);
        }

        var actor = by.ActorName();
        var source = new ApprovalListSource
        {
            Name = input.Name.Trim(), CreatedBy = actor, Review = SourceReview.Requested, RequestedBy = actor, RequestedAt = Now,
        };
        Fill(source, input);
        db.As(actor, $"Requested approval list source '{source.Name}'; a second administrator must approve it").ApprovalListSources.Add(source);
        await db.SaveChangesAsync(ct);
        return Outcome<ApprovalListSource>.Ok(source);
    }

    /// <summary>
    /// Changes a source. A source not yet approved (or rejected) is re-requested as changed. On an approved
    /// source, pausing applies at once (it only stops fetching); every other change waits as a pending change.
    /// </summary>
    public async Task<Outcome<ApprovalListSource>> UpdateAsync(ClaimsPrincipal by, int id, ApprovalListSourceInput input, int expectedVersion, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var source = await db.ApprovalListSources.FindAsync([id], ct);
        if (source is null)
        {
            return Outcome<ApprovalListSource>.Missing($"There is no approval list source {id}.");
        }

        var errors = await ValidateAsync(db, by, input, id, ct);
        if (source.Version != expectedVersion)
        {
            errors.Add(new FieldError("version", "The source was changed or synced meanwhile; reload it and edit again."));
        }

        if (errors.Count > 0)
        {
            return Outcome<ApprovalListSource>.Invalid([.. errors]);
        }

        var actor = by.ActorName();
        string what;
        if (source.Review != SourceReview.Approved)
        {
            source.Name = input.Name.Trim();
            Fill(source, input);
            (source.Review, source.RequestedBy, source.RequestedAt) = (SourceReview.Requested, actor, Now);
            (source.ReviewedBy, source.ReviewedAt, source.ReviewReason) = (null, null, null);
            what = $"Changed the request for approval list source '{source.Name}'";
        }
        else
        {
            var requested = ConfigOf(input, newFile: input.UploadedContent is not null);
            if (!requested.Enabled)
            {
                source.Enabled = false; // pausing only stops fetching: no second pair of eyes needed
            }

            if (requested == ConfigOf(source))
            {
                (source.PendingConfig, source.PendingContent, source.PendingRequestedBy, source.PendingRequestedAt) = (null, null, null, null);
                what = source.Enabled ? $"No change to approval list source '{source.Name}'" : $"Paused approval list source '{source.Name}'";
            }
            else
            {
                (source.PendingConfig, source.PendingContent, source.PendingRequestedBy, source.PendingRequestedAt) =
                    (requested.ToJson(), input.UploadedContent, actor, Now);
                what = $"Requested a change of approval list source '{source.Name}'; the configuration in force stays until a second administrator approves it";
            }
        }

        try
        {
            await db.As(actor, what).SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ApprovalListSource>.Invalid(new FieldError("version", "The source was changed or synced meanwhile; reload it and edit again."));
        }

        Reschedule(source);
        return Outcome<ApprovalListSource>.Ok(source);
    }

    /// <summary>
    /// Approves or rejects a source's requested configuration (a new source, or a pending change): an
    /// administrator other than the one who requested it. Approving puts the configuration in force and syncs.
    /// </summary>
    public async Task<Outcome<ApprovalListSource>> DecideAsync(ClaimsPrincipal by, int id, Decision decision, string? reason, int expectedVersion, CancellationToken ct = default)
    {
        if (Guard(by, decision, reason) is { } refused)
        {
            return Outcome<ApprovalListSource>.Invalid(refused);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var source = await db.ApprovalListSources.FindAsync([id], ct);
        if (source is null)
        {
            return Outcome<ApprovalListSource>.Missing($"There is no approval list source {id}.");
        }

        var pending = SourceConfig.Parse(source.PendingConfig);
        var requester = source.Review == SourceReview.Requested ? source.RequestedBy : pending is not null ? source.PendingRequestedBy : null;
        if (source.Review != SourceReview.Requested && pending is null)
        {
            return Outcome<ApprovalListSource>.Invalid(new FieldError("status", $"Nothing about source '{source.Name}' waits for a decision."));
        }

        var decider = by.ActorName();
        if (string.Equals(requester, decider, StringComparison.Ordinal))
        {
            return Outcome<ApprovalListSource>.Invalid(new FieldError("decider",
                "You requested this configuration, so another administrator must decide it (four-eyes)."));
        }

        if (source.Version != expectedVersion)
        {
            return Outcome<ApprovalListSource>.Invalid(new FieldError("version", "The source was changed or synced meanwhile; reload it and decide again."));
        }

        var approve = decision == Decision.Approve;
        var refetch = false;
        if (pending is not null)
        {
            if (approve)
            {
                refetch = pending.Url != source.Url || pending.NewFile || pending.Format != source.Format || pending.PinnedSha256 != source.PinnedSha256;
                source.Name = pending.Name;
                Fill(source, new ApprovalListSourceInput(pending.Name, pending.Format, pending.Url, pending.NewFile ? source.PendingContent : null,
                    pending.Schedule, pending.Enabled, pending.PinnedSha256));
                (source.RequestedBy, source.RequestedAt) = (source.PendingRequestedBy, source.PendingRequestedAt);
            }

            (source.PendingConfig, source.PendingContent, source.PendingRequestedBy, source.PendingRequestedAt) = (null, null, null, null);
        }
        else
        {
            source.Review = approve ? SourceReview.Approved : SourceReview.Rejected;
            refetch = approve;
        }

        if (approve)
        {
            (source.ReviewedBy, source.ReviewedAt, source.ReviewReason) = (decider, Now, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
        }
        else if (pending is null)
        {
            (source.ReviewedBy, source.ReviewedAt, source.ReviewReason) = (decider, Now, reason!.Trim());
        }

        if (refetch)
        {
            // A new address, file, format or pin is fetched in full and proposes its entries afresh.
            (source.ETag, source.ContentSha256) = (null, null);
            foreach (var old in await db.ApprovalListRevisions.Where(r => r.SourceId == id && r.Status == RevisionStatus.Pending).ToListAsync(ct))
            {
                old.Status = RevisionStatus.Superseded;
            }
        }

        var what = (approve, pending is null) switch
        {
            (true, true) => $"Approved approval list source '{source.Name}'",
            (true, false) => $"Approved the change of approval list source '{source.Name}'",
            (false, true) => $"Rejected approval list source '{source.Name}': {reason!.Trim()}",
            (false, false) => $"Rejected the change of approval list source '{source.Name}': {reason!.Trim()}",
        };
        try
        {
            await db.As(decider, what).SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ApprovalListSource>.Invalid(new FieldError("version", "The source was changed or decided meanwhile; reload it and decide again."));
        }

        Reschedule(source);
        if (refetch && source.Enabled)
        {
            scheduler.TriggerNow(source.Id);
        }

        return Outcome<ApprovalListSource>.Ok(source);
    }

    /// <summary>
    /// Accepts or rejects a revision a sync staged (the list's widening entries), whole. The acceptor is an
    /// administrator other than the list's sponsor (who requested the configuration in force), so the one who
    /// chose where the list comes from cannot also put its content in force.
    /// </summary>
    public async Task<Outcome<ApprovalListRevision>> DecideRevisionAsync(ClaimsPrincipal by, long revisionId, Decision decision, string? reason, int expectedVersion, CancellationToken ct = default)
    {
        if (Guard(by, decision, reason) is { } refused)
        {
            return Outcome<ApprovalListRevision>.Invalid(refused);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var revision = await db.ApprovalListRevisions.FindAsync([revisionId], ct);
        if (revision is null)
        {
            return Outcome<ApprovalListRevision>.Missing($"There is no revision {revisionId}.");
        }

        var source = await db.ApprovalListSources.AsNoTracking().SingleAsync(s => s.Id == revision.SourceId, ct);
        var decider = by.ActorName();
        if (string.Equals(source.RequestedBy, decider, StringComparison.Ordinal) || string.Equals(source.PendingRequestedBy, decider, StringComparison.Ordinal))
        {
            return Outcome<ApprovalListRevision>.Invalid(new FieldError("decider",
                $"You sponsor list '{source.Name}' (you requested its configuration), so another administrator must accept what it proposes (four-eyes)."));
        }

        if (revision.Status != RevisionStatus.Pending || revision.Version != expectedVersion)
        {
            return Outcome<ApprovalListRevision>.Invalid(new FieldError("version", revision.Status == RevisionStatus.Pending
                ? "The revision changed meanwhile; reload it and decide again."
                : $"This revision is {revision.Status} already{(revision.DecidedBy is { } who ? $" (by {who})" : "")}; reload to see it."));
        }

        if (source.Review != SourceReview.Approved)
        {
            return Outcome<ApprovalListRevision>.Invalid(new FieldError("source", $"Source '{source.Name}' is not approved; its revisions cannot be accepted."));
        }

        if (decision == Decision.Reject)
        {
            (revision.Status, revision.DecidedBy, revision.DecidedAt, revision.DecisionReason) = (RevisionStatus.Rejected, decider, Now, reason!.Trim());
            try
            {
                await db.As(decider, $"Rejected revision {revisionId} of list '{source.Name}': {reason.Trim()}").SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<ApprovalListRevision>.Invalid(new FieldError("version", "The revision was decided or replaced meanwhile; reload it."));
            }

            return Outcome<ApprovalListRevision>.Ok(revision);
        }

        var applied = await services.GetRequiredService<ApprovalListSyncJob>().ApplyRevisionAsync(revision, decider, reason?.Trim(), ct);
        if (!applied.Succeeded)
        {
            return Outcome<ApprovalListRevision>.Invalid([.. applied.Errors]);
        }

        await using var fresh = await factory.CreateDbContextAsync(ct);
        return Outcome<ApprovalListRevision>.Ok(await fresh.ApprovalListRevisions.AsNoTracking().SingleAsync(r => r.Id == revisionId, ct));
    }

    /// <summary>Queues a sync of the source now (administrators; approved sources only).</summary>
    public async Task<Outcome<bool>> SyncNowAsync(ClaimsPrincipal by, int id, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<bool>.Invalid(new FieldError("by", "Only an administrator may sync an approval list."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var review = await db.ApprovalListSources.Where(s => s.Id == id).Select(s => (SourceReview?)s.Review).SingleOrDefaultAsync(ct);
        if (review is null)
        {
            return Outcome<bool>.Missing($"There is no approval list source {id}.");
        }

        if (review != SourceReview.Approved)
        {
            return Outcome<bool>.Invalid(new FieldError("source", "This source is not approved yet; a second administrator must approve it before it fetches anything."));
        }

        scheduler.TriggerNow(id);
        return Outcome<bool>.Ok(true);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static FieldError? Guard(ClaimsPrincipal by, Decision decision, string? reason) =>
        !by.ActsAs(Roles.Administrator) ? new FieldError("decider", "Only an administrator may decide about approval list sources.")
        : !Enum.IsDefined(decision) ? new FieldError("decision", "Choose approve or reject.")
        : decision == Decision.Reject && string.IsNullOrWhiteSpace(reason) ? new FieldError("reason", "Say why it is rejected; the requester reads it.")
        : null;

    private static SourceConfig ConfigOf(ApprovalListSourceInput input, bool newFile) =>
        new(input.Name.Trim(), input.Format, string.IsNullOrWhiteSpace(input.Url) ? null : input.Url.Trim(), input.Schedule.Trim(), input.Enabled,
            Pin(input.PinnedSha256), newFile);

    /// <summary>A pin as stored and compared: lower-case hex, or none.</summary>
    private static string? Pin(string? sha256) => string.IsNullOrWhiteSpace(sha256) ? null : sha256.Trim().ToLowerInvariant();

    private static SourceConfig ConfigOf(ApprovalListSource source) =>
        new(source.Name, source.Format, source.Url, source.Schedule, source.Enabled, source.PinnedSha256, false);

    private void Reschedule(ApprovalListSource source)
    {
        if (source.Review == SourceReview.Approved && source.Enabled && source.Url is not null)
        {
            scheduler.AddOrUpdate(source.Id, source.Schedule);
        }
        else
        {
            scheduler.Remove(source.Id);
        }
    }

    private static void Fill(ApprovalListSource source, ApprovalListSourceInput input)
    {
        source.Format = input.Format;
        source.Schedule = input.Schedule.Trim();
        source.Enabled = input.Enabled;
        source.PinnedSha256 = Pin(input.PinnedSha256);
        if (!string.IsNullOrWhiteSpace(input.Url))
        {
            source.Url = input.Url.Trim();
            source.UploadedContent = null;
        }
        else if (input.UploadedContent is not null)
        {
            source.Url = null;
            source.UploadedContent = input.UploadedContent;
        }
    }

    private static async Task<List<FieldError>> ValidateAsync(ComplianceDb db, ClaimsPrincipal by, ApprovalListSourceInput input, int? id, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (!by.ActsAs(Roles.Administrator))
        {
            errors.Add(new FieldError("by", "Only an administrator may manage approval list sources."));
            return errors;
        }

        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors.Add(new FieldError("name", "Enter a name; entries from the list say where they came from by it."));
        }
        else if (input.Name.Trim().Length > 100)
        {
            errors.Add(new FieldError("name", "Keep the name under 100 characters."));
        }
        else if (await db.ApprovalListSources.AnyAsync(s => s.Name == input.Name.Trim() && s.Id != id, ct))
        {
            errors.Add(new FieldError("name", $"There is already a source named '{input.Name.Trim()}'."));
        }

        if (!Enum.IsDefined(input.Format))
        {
            errors.Add(new FieldError("format", "Choose JSON or CSV."));
        }

        var hasUrl = !string.IsNullOrWhiteSpace(input.Url);
        Uri? uri = null;
        if (hasUrl && input.UploadedContent is not null)
        {
            errors.Add(new FieldError("url", "Give either a URL or a file, not both."));
        }
        else if (hasUrl && (!Uri.TryCreate(input.Url!.Trim(), UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add(new FieldError("url", "Enter an http:// or https:// address."));
        }
        else if (uri is { UserInfo.Length: > 0 })
        {
            // The address is shown, logged and kept on the audit trail: it must carry no secret.
            errors.Add(new FieldError("url", "Leave user names and passwords out of the address: it is shown and kept on the audit trail. Publish the list where it can be fetched without them, or pin its SHA-256."));
        }
        else if (!hasUrl && input.UploadedContent is null && id is null)
        {
            errors.Add(new FieldError("url", "Enter the list's URL or upload the file."));
        }

        if (input.UploadedContent is { Length: > ApprovalListSyncJob.MaxBytes })
        {
            errors.Add(new FieldError("file", $"The file is larger than the limit of {ApprovalListSyncJob.MaxBytes:N0} bytes (5 MB)."));
        }

        if (!IsCron(input.Schedule))
        {
            errors.Add(new FieldError("schedule", "Enter a cron expression of five fields (minute hour day month weekday), e.g. 0 * * * * for hourly."));
        }
        else if (ShortestInterval(input.Schedule) is var interval && interval < MinimumInterval)
        {
            errors.Add(new FieldError("schedule", $"Sync at most every {MinimumInterval.TotalMinutes:0} minutes (this schedule fires {interval.TotalMinutes:0.#} minute(s) apart), e.g. */15 * * * *."));
        }

        if (!string.IsNullOrWhiteSpace(input.PinnedSha256) && !IsSha256(input.PinnedSha256.Trim()))
        {
            errors.Add(new FieldError("pinnedSha256", "A pinned SHA-256 is 64 hexadecimal characters, as sha256sum prints it."));
        }

        return errors;
    }

    private static bool IsSha256(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigit);

    /// <summary>The shortest gap between two runs of a valid five-field cron expression, over the next year of runs.</summary>
    public static TimeSpan ShortestInterval(string cron)
    {
        var expression = CronExpression.Parse(cron.Trim(), CronFormat.Standard);
        var from = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var shortest = TimeSpan.MaxValue;
        var previous = expression.GetNextOccurrence(from);
        for (var i = 0; i < 2000 && previous is { } at; i++)
        {
            var next = expression.GetNextOccurrence(at);
            if (next is { } n && n - at < shortest)
            {
                shortest = n - at;
            }

            previous = next;
        }

        return shortest;
    }

    /// <summary>
    /// A cron expression as Hangfire reads it, parsed by the library Hangfire itself uses (Cronos): five fields
    /// (minute hour day month weekday). Six-field expressions with seconds are refused: a list is not polled by the second.
    /// </summary>
    public static bool IsCron(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5)
        {
            return false;
        }

        try
        {
            return CronExpression.Parse(text.Trim(), CronFormat.Standard).GetNextOccurrence(DateTime.UtcNow) is not null;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }
}
