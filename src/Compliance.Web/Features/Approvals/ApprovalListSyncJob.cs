using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;
using Compliance.Web.Features.Notifications;

namespace Compliance.Web.Features.Approvals;

/// <summary>One entry in a sync's diff: which approval or restriction, and what changed.</summary>
public sealed record SyncDiffEntry(string Kind, string Key, string Summary, IReadOnlyList<string>? Changes = null);

/// <summary>What one sync changed, stored as JSON on <see cref="ApprovalListSync.Diff"/>.</summary>
public sealed record SyncDiff(List<SyncDiffEntry> Added, List<SyncDiffEntry> Changed, List<SyncDiffEntry> Removed)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static SyncDiff? Parse(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<SyncDiff>(json, Json);
}

/// <summary>
/// Fetches an approval list source (HTTP with ETag, timeout, size limit and retries, or the uploaded
/// file), validates the whole list and applies it all-or-nothing, recording a sync row with the
/// content's SHA-256 and the diff. A failure records the reason and changes no approval or restriction.
/// Idempotent: the same content twice is a no-op. A plain class so any scheduler (Hangfire) can run it.
/// Four-eyes: only an approved source is fetched, and a list never puts an approval in force by itself —
/// what it narrows applies at once, what it widens is staged whole as an <see cref="ApprovalListRevision"/>
/// that a second administrator accepts (<see cref="ApplyRevisionAsync"/>).
/// </summary>
public sealed class ApprovalListSyncJob(IDbContextFactory<ComplianceDb> factory, IHttpClientFactory httpClients, IApprovalsChanged changed, TimeProvider clock, ILogger<ApprovalListSyncJob> log,
    INotificationPublisher? notifications = null)
{
    /// <summary>The named HttpClient that fetches lists (timeout and retries configured in <see cref="ApprovalsSetup"/>).</summary>
    public const string HttpClientName = "approval-lists";

    /// <summary>The largest list accepted, checked while reading.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    public static string ActorFor(string sourceName) => $"system:list-sync:{sourceName}";

    public static string OwnerFor(string sourceName) => $"source:{sourceName}";

    private sealed class SyncFailedException(string message) : Exception(message);

    /// <summary>
    /// The job entry point for a scheduler (Hangfire: <c>RecurringJob.AddOrUpdate&lt;ApprovalListSyncJob&gt;(id, j =&gt; j.RunAsync(sourceId, CancellationToken.None), cron)</c>).
    /// Returns nothing, so the scheduler stores no diff; the outcome is the sync row.
    /// </summary>
    public async Task RunAsync(int sourceId, CancellationToken ct) => await SyncAsync(sourceId, ct);

    /// <summary>Syncs one source now and returns the sync row it recorded.</summary>
    public async Task<ApprovalListSync> SyncAsync(int sourceId, CancellationToken ct)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        ApprovalListSource source;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            source = await db.ApprovalListSources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sourceId, ct)
                ?? throw new InvalidOperationException($"There is no approval list source {sourceId}.");
        }

        try
        {
            if (source.Review != SourceReview.Approved)
            {
                throw new SyncFailedException(source.Review == SourceReview.Rejected
                    ? "The source's configuration was rejected; nothing was fetched. Edit it to request it again."
                    : "The source waits for a second administrator to approve it; nothing is fetched until then.");
            }

            var (content, etag, notModified) = await FetchAsync(source, ct);
            if (notModified)
            {
                return await RecordUnchangedAsync(sourceId, started, source.ContentSha256, etag ?? source.ETag, "The server answered 304 Not Modified.", ct);
            }

            var sha = Convert.ToHexStringLower(SHA256.HashData(content!));
            if (source.PinnedSha256 is { Length: > 0 } pinned && !string.Equals(pinned, sha, StringComparison.OrdinalIgnoreCase))
            {
                throw new SyncFailedException($"The list's SHA-256 is {sha}, but the source is pinned to {pinned.ToLowerInvariant()}: it was refused and nothing was changed. "
                    + "If the publisher issued a new list, request a change of the pin.");
            }

            if (sha == source.ContentSha256 && source.LastSyncStatus != SyncStatus.Never)
            {
                return await RecordUnchangedAsync(sourceId, started, sha, etag ?? source.ETag, "The content has the same SHA-256 as the last applied list.", ct);
            }

            return Announce(source, await ApplyAsync(source, source.Format, content!, sha, etag, started, accept: null, ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // the scheduler retries; nothing was applied
        }
        catch (Exception e)
        {
            var reason = e switch
            {
                SyncFailedException or Inventory.Import.ImportException => e.Message,
                DbUpdateConcurrencyException => "Another sync or an edit of this source was saved at the same time; this sync changed nothing. Sync again.",
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            log.LogWarning("Sync of approval list {Source} failed: {Reason}", source.Name, reason);
            return Announce(source, await RecordFailureAsync(sourceId, started, reason, ct));
        }
    }

    /// <summary>Publishes <c>approval-list.sync.changed</c> or <c>.failed</c> for a sync that changed something or failed.</summary>
    private ApprovalListSync Announce(ApprovalListSource source, ApprovalListSync sync)
    {
        var type = sync.Status == SyncStatus.Failed ? NotificationEvents.ApprovalListSyncFailed
            : sync.Added + sync.Changed + sync.Removed > 0 || sync.RevisionId is not null ? NotificationEvents.ApprovalListSyncChanged
            : null;
        if (type is not null)
        {
            notifications?.Publish(type, new
            {
                sourceId = source.Id, source = source.Name, syncId = sync.Id, status = sync.Status, sync.Added, sync.Changed, sync.Removed,
                pendingRevisionId = sync.RevisionId, sync.Error, link = "/approvals/sources",
            });
        }

        return sync;
    }

    private async Task<(byte[]? Content, string? ETag, bool NotModified)> FetchAsync(ApprovalListSource source, CancellationToken ct)
    {
        if (source.Url is null)
        {
            return source.UploadedContent is { } uploaded
                ? (uploaded, null, false)
                : throw new SyncFailedException("The source has neither a URL nor an uploaded file.");
        }

        if (!Uri.TryCreate(source.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new SyncFailedException($"'{source.Url}' is not an HTTP(S) address.");
        }

        var client = httpClients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        // Ask for the list only when it changed since the last applied version.
        if (source.ETag is { Length: > 0 } etag && source.ContentSha256 is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        // The resilience pipeline's timeout (Polly v8) is matched by name: another package brings Polly v7, whose type has the same name.
        catch (Exception e) when ((e is HttpRequestException or TaskCanceledException || e.GetType().FullName == "Polly.Timeout.TimeoutRejectedException")
                                  && !ct.IsCancellationRequested)
        {
            throw new SyncFailedException(e is HttpRequestException
                ? $"Could not reach {uri.GetLeftPart(UriPartial.Path)}: {e.Message}"
                : $"{uri.GetLeftPart(UriPartial.Path)} did not answer in time.");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return (null, response.Headers.ETag?.ToString(), true);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SyncFailedException($"{uri.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                throw new SyncFailedException($"The list is {response.Content.Headers.ContentLength:N0} bytes; the limit is {MaxBytes:N0} bytes (5 MB).");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw new SyncFailedException($"The list is larger than the limit of {MaxBytes:N0} bytes (5 MB); reading stopped.");
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), response.Headers.ETag?.ToString(), false);
        }
    }

    /// <summary>
    /// Accepts or rejects a staged revision's content as the second administrator <paramref name="decider"/>:
    /// accepting applies the list exactly as it was fetched (every entry, widening ones included), with the
    /// decider as the approver of what it puts in force. Internal: no role or four-eyes check of its own, so only
    /// <see cref="ApprovalListSourceService.DecideRevisionAsync"/> (which makes them) and tests reach it.
    /// </summary>
    internal async Task<Outcome<ApprovalListSync>> ApplyRevisionAsync(ApprovalListRevision revision, string decider, string? reason, CancellationToken ct)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        ApprovalListSource source;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            source = await db.ApprovalListSources.AsNoTracking().SingleAsync(s => s.Id == revision.SourceId, ct);
        }

        try
        {
            return Outcome<ApprovalListSync>.Ok(
                await ApplyAsync(source, revision.Format, revision.Content, revision.ContentSha256, source.ETag, started, new Acceptance(revision.Id, decider, reason), ct));
        }
        catch (Exception e) when (e is SyncFailedException or Inventory.Import.ImportException)
        {
            // Models or customers the list names may have changed since it was fetched: nothing was applied.
            return Outcome<ApprovalListSync>.Invalid(new FieldError("revision", e.Message));
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ApprovalListSync>.Invalid(new FieldError("version",
                "A sync or another decision was saved at the same time; nothing was applied. Reload and decide again."));
        }
    }

    /// <summary>Who accepts which revision: the apply then includes widening entries, attributed to them.</summary>
    private sealed record Acceptance(long RevisionId, string Decider, string? Reason);

    private async Task<ApprovalListSync> ApplyAsync(ApprovalListSource snapshot, ApprovalListFormat format, byte[] content, string sha, string? etag, DateTime started, Acceptance? accept, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var refs = new ListReferenceData(
            await db.Models.AsNoTracking().Select(m => new ListReferenceData.ModelRef(m.Id, m.Provider, m.HostModelId, m.Hosting, m.Region)).ToListAsync(ct),
            (await db.Customers.AsNoTracking().Select(c => new { c.Code, c.Id }).ToListAsync(ct)).ToDictionary(c => c.Code, c => c.Id, StringComparer.OrdinalIgnoreCase));
        var (list, errors) = ApprovalListReader.Read(content, format, snapshot.Name, refs);
        if (list is null)
        {
            var shown = string.Join("\n", errors.Take(20).Select(e => snapshot.Url is null ? e.ToString() : System.Text.RegularExpressions.Regex.Replace(e.ToString(), "'[^'\n]*'", "'…'"))); // a fetched body is never echoed (issue #13)
            throw new SyncFailedException($"The list is invalid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}); nothing was changed.\n{shown}");
        }

        var source = await db.ApprovalListSources.SingleAsync(s => s.Id == snapshot.Id, ct);
        var owner = OwnerFor(source.Name);
        // Approvals a list puts in force are decided by the administrator who accepted them; narrowing is the list's own doing.
        var decider = accept?.Decider ?? owner;
        var now = clock.GetUtcNow().UtcDateTime;
        var diff = new SyncDiff([], [], []);
        var staged = new SyncDiff([], [], []);
        var modelNames = refs.Models.ToDictionary(m => m.Id, m => m.HostModelId);

        var approvals = (await db.Approvals.Where(a => a.SourceId == source.Id).ToListAsync(ct))
            .Where(a => a.SourceEntryKey is not null).ToDictionary(a => a.SourceEntryKey!, StringComparer.Ordinal);
        foreach (var entry in list.Approvals)
        {
            var summary = $"{entry.HostModelId} up to {entry.MaxImpactLevel}";
            var status = entry.ValidUntil <= now ? ApprovalStatus.Expired : ApprovalStatus.Approved;
            if (!approvals.TryGetValue(entry.Key, out var a))
            {
                var added = new SyncDiffEntry("approval", entry.Key, summary);
                if (status == ApprovalStatus.Approved && accept is null)
                {
                    staged.Added.Add(added);
                    continue;
                }

                a = new Approval { RequestedBy = owner, SourceId = source.Id, SourceEntryKey = entry.Key, RequestedAt = now };
                db.Approvals.Add(a);
                Fill(a, entry, source.Name);
                Decide(a, status, decider, now, accept?.Reason ?? $"From list '{source.Name}'.");
                diff.Added.Add(added);
            }
            else if (a.Status is ApprovalStatus.Revoked or ApprovalStatus.Rejected or ApprovalStatus.Requested)
            {
                var relisted = new SyncDiffEntry("approval", entry.Key, summary + " (listed again)");
                if (status == ApprovalStatus.Approved && accept is null)
                {
                    staged.Added.Add(relisted);
                    continue;
                }

                Fill(a, entry, source.Name);
                Decide(a, status, decider, now, accept?.Reason ?? $"Listed again in '{source.Name}'.");
                diff.Added.Add(relisted);
            }
            else if (Changes(a, entry, source.Name, modelNames) is { Count: > 0 } changes)
            {
                var changed = new SyncDiffEntry("approval", entry.Key, summary, changes);
                if (accept is null && ListWidening.Widens(a, entry, status))
                {
                    staged.Changed.Add(changed);
                    continue;
                }

                Fill(a, entry, source.Name);
                Decide(a, status, accept is null ? owner : decider, now, accept?.Reason ?? $"Changed in list '{source.Name}'.");
                diff.Changed.Add(changed);
            }
        }

        var listed = list.Approvals.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var a in approvals.Values.Where(a => !listed.Contains(a.SourceEntryKey!) && a.Status is ApprovalStatus.Approved or ApprovalStatus.Expired))
        {
            Decide(a, ApprovalStatus.Revoked, owner, now, $"No longer in list '{source.Name}'.");
            diff.Removed.Add(new SyncDiffEntry("approval", a.SourceEntryKey!, $"{modelNames.GetValueOrDefault(a.ModelId)} up to {a.MaxImpactLevel}"));
        }

        var restrictions = (await db.Restrictions.Where(r => r.SourceId == source.Id).ToListAsync(ct))
            .Where(r => r.SourceEntryKey is not null).ToDictionary(r => r.SourceEntryKey!, StringComparer.Ordinal);
        foreach (var entry in list.Restrictions)
        {
            var summary = Describe(entry.ModelId, entry.Provider, entry.Sectors, modelNames);
            if (!restrictions.TryGetValue(entry.Key, out var r))
            {
                r = new Restriction { Reason = entry.Reason, CreatedBy = owner, CreatedAt = now, SourceId = source.Id, SourceEntryKey = entry.Key };
                db.Restrictions.Add(r);
                Fill(r, entry);
                diff.Added.Add(new SyncDiffEntry("restriction", entry.Key, summary));
            }
            else if (r.LiftedAt is not null)
            {
                Fill(r, entry);
                r.LiftedAt = null;
                r.LiftedBy = null;
                r.LiftReason = null;
                diff.Added.Add(new SyncDiffEntry("restriction", entry.Key, summary + " (listed again)"));
            }
            else if (Changes(r, entry, modelNames) is { Count: > 0 } changes)
            {
                var changed = new SyncDiffEntry("restriction", entry.Key, summary, changes);
                if (accept is null && ListWidening.Widens(r, entry))
                {
                    staged.Changed.Add(changed);
                    continue;
                }

                Fill(r, entry);
                diff.Changed.Add(changed);
            }
        }

        var listedRestrictions = list.Restrictions.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var r in restrictions.Values.Where(r => !listedRestrictions.Contains(r.SourceEntryKey!) && r.LiftedAt is null))
        {
            // Lifting a deny rule widens what is allowed: it waits for a second administrator like a new approval.
            var removed = new SyncDiffEntry("restriction", r.SourceEntryKey!, Describe(r.ModelId, r.Provider, r.Sectors, modelNames));
            if (accept is null)
            {
                staged.Removed.Add(removed);
                continue;
            }

            r.LiftedAt = now;
            r.LiftedBy = decider;
            r.LiftReason = $"No longer in list '{source.Name}'.";
            diff.Removed.Add(removed);
        }

        // A newer list replaces whatever an earlier fetch proposed: only the latest proposal can be accepted.
        var pending = await db.ApprovalListRevisions.Where(r => r.SourceId == source.Id && r.Status == RevisionStatus.Pending).ToListAsync(ct);
        foreach (var old in pending)
        {
            if (accept is not null && old.Id == accept.RevisionId)
            {
                old.Status = RevisionStatus.Accepted;
                old.DecidedBy = accept.Decider;
                old.DecidedAt = now;
                old.DecisionReason = accept.Reason;
            }
            else
            {
                old.Status = RevisionStatus.Superseded;
            }
        }

        if (accept is not null && !pending.Any(p => p.Id == accept.RevisionId))
        {
            throw new SyncFailedException($"Revision {accept.RevisionId} is no longer pending; a newer fetch of the list replaced it or it was decided meanwhile.");
        }

        ApprovalListRevision? revision = null;
        if (staged.Added.Count + staged.Changed.Count + staged.Removed.Count > 0)
        {
            revision = new ApprovalListRevision
            {
                SourceId = source.Id, CreatedAt = now, Format = format, ContentSha256 = sha, Content = content,
                Diff = JsonSerializer.Serialize(staged, SyncDiff.Json), Status = RevisionStatus.Pending,
            };
            db.ApprovalListRevisions.Add(revision);
        }

        var sync = new ApprovalListSync
        {
            SourceId = source.Id, StartedAt = started, FinishedAt = clock.GetUtcNow().UtcDateTime, Status = SyncStatus.Succeeded, ContentSha256 = sha,
            Added = diff.Added.Count, Changed = diff.Changed.Count, Removed = diff.Removed.Count, Diff = JsonSerializer.Serialize(diff, SyncDiff.Json),
            Revision = revision,
        };
        db.ApprovalListSyncs.Add(sync);
        source.ETag = etag;
        source.ContentSha256 = sha;
        source.LastSyncAt = sync.FinishedAt;
        source.LastSyncStatus = SyncStatus.Succeeded;
        source.LastSyncError = null;
        var what = accept is not null
            ? $"Revision {accept.RevisionId} of list '{source.Name}' accepted (sha256 {sha[..12]}…): +{sync.Added} ~{sync.Changed} -{sync.Removed}"
            : $"Sync of list '{source.Name}' (sha256 {sha[..12]}…): +{sync.Added} ~{sync.Changed} -{sync.Removed}"
              + (revision is null ? "" : $"; {staged.Added.Count + staged.Changed.Count + staged.Removed.Count} widening change(s) staged for a second administrator");
        // One SaveChanges: one transaction for every entry, the sync row, the revision, the source and their audit events.
        await db.As(accept?.Decider ?? ActorFor(source.Name), what).SaveChangesAsync(ct);

        log.LogInformation("Synced approval list {Source}: {Added} added, {Changed} changed, {Removed} removed, {Staged} staged",
            source.Name, sync.Added, sync.Changed, sync.Removed, staged.Added.Count + staged.Changed.Count + staged.Removed.Count);
        if (diff.Added.Concat(diff.Changed).Concat(diff.Removed).Any(d => d.Kind == "approval"))
        {
            changed.ApprovalsChanged();
        }

        if (diff.Added.Concat(diff.Changed).Concat(diff.Removed).Any(d => d.Kind == "restriction"))
        {
            changed.RestrictionsChanged();
        }
        return sync;
    }

    private async Task<ApprovalListSync> RecordUnchangedAsync(int sourceId, DateTime started, string? sha, string? etag, string why, CancellationToken ct) =>
        await RecordAsync(sourceId, started, SyncStatus.Unchanged, sha, etag, null, why, ct);

    private async Task<ApprovalListSync> RecordFailureAsync(int sourceId, DateTime started, string reason, CancellationToken ct) =>
        await RecordAsync(sourceId, started, SyncStatus.Failed, null, null, Truncate(reason, 4000), reason, ct);

    private async Task<ApprovalListSync> RecordAsync(int sourceId, DateTime started, SyncStatus status, string? sha, string? etag, string? error, string why, CancellationToken ct)
    {
        // A fresh context: nothing from a failed apply can ride along.
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var source = await db.ApprovalListSources.SingleAsync(s => s.Id == sourceId, ct);
            var sync = new ApprovalListSync
            {
                SourceId = sourceId, StartedAt = started, FinishedAt = clock.GetUtcNow().UtcDateTime, Status = status,
                ContentSha256 = sha, Error = error,
            };
            db.ApprovalListSyncs.Add(sync);
            source.LastSyncAt = sync.FinishedAt;
            source.LastSyncStatus = status;
            source.LastSyncError = error;
            if (status == SyncStatus.Unchanged && etag is not null)
            {
                source.ETag = etag;
            }

            try
            {
                await db.As(ActorFor(source.Name), Truncate(why, 2000)).SaveChangesAsync(ct);
                return sync;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // The source was edited meanwhile: record against its new version.
            }
        }
    }

    private static void Fill(Approval a, ApprovalListEntry e, string sourceName)
    {
        a.ModelId = e.ModelId;
        a.MaxImpactLevel = e.MaxImpactLevel;
        a.DataCategories = e.DataCategories;
        a.Usages = e.Usages;
        a.Sectors = e.Sectors;
        a.CustomerIds = [.. e.CustomerIds];
        a.Hostings = [.. e.Hostings];
        a.ValidFrom = e.ValidFrom;
        a.ValidUntil = e.ValidUntil;
        a.Conditions = e.Conditions;
        a.Justification = e.Justification ?? $"Listed in '{sourceName}'.";
    }

    private static void Decide(Approval a, ApprovalStatus status, string decidedBy, DateTime now, string reason)
    {
        a.Status = status;
        a.DecidedBy = decidedBy;
        a.DecidedAt = now;
        a.DecisionReason = reason;
    }

    private static void Fill(Restriction r, RestrictionListEntry e)
    {
        r.ModelId = e.ModelId;
        r.Provider = e.Provider;
        r.Sectors = e.Sectors;
        r.CustomerIds = [.. e.CustomerIds];
        r.MinImpactLevel = e.MinImpactLevel;
        r.Usages = e.Usages;
        r.Hostings = [.. e.Hostings];
        r.EffectiveFrom = e.EffectiveFrom;
        r.TransitionDeadline = e.TransitionDeadline;
        r.Reason = e.Reason;
    }

    private static List<string> Changes(Approval a, ApprovalListEntry e, string sourceName, Dictionary<int, string> models)
    {
        var changes = new List<string>();
        Compare(changes, "model", models.GetValueOrDefault(a.ModelId), models.GetValueOrDefault(e.ModelId));
        Compare(changes, "maxImpactLevel", a.MaxImpactLevel, e.MaxImpactLevel);
        Compare(changes, "dataCategories", a.DataCategories, e.DataCategories);
        Compare(changes, "usages", a.Usages, e.Usages);
        Compare(changes, "sectors", a.Sectors, e.Sectors);
        Compare(changes, "customers", string.Join(";", a.CustomerIds.Order()), string.Join(";", e.CustomerIds));
        Compare(changes, "hostings", string.Join(";", a.Hostings.Order(StringComparer.Ordinal)), string.Join(";", e.Hostings));
        Compare(changes, "validFrom", Day(a.ValidFrom), Day(e.ValidFrom));
        Compare(changes, "validUntil", Day(a.ValidUntil), Day(e.ValidUntil));
        Compare(changes, "conditions", a.Conditions, e.Conditions);
        Compare(changes, "justification", a.Justification, e.Justification ?? $"Listed in '{sourceName}'.");
        return changes;
    }

    private static List<string> Changes(Restriction r, RestrictionListEntry e, Dictionary<int, string> models)
    {
        var changes = new List<string>();
        Compare(changes, "model", r.ModelId is { } m ? models.GetValueOrDefault(m) : null, e.ModelId is { } n ? models.GetValueOrDefault(n) : null);
        Compare(changes, "provider", r.Provider, e.Provider);
        Compare(changes, "sectors", r.Sectors, e.Sectors);
        Compare(changes, "customers", string.Join(";", r.CustomerIds.Order()), string.Join(";", e.CustomerIds));
        Compare(changes, "minImpactLevel", r.MinImpactLevel, e.MinImpactLevel);
        Compare(changes, "usages", ListWidening.AnyUsage(r.Usages), ListWidening.AnyUsage(e.Usages));
        Compare(changes, "hostings", string.Join(";", r.Hostings.Order(StringComparer.Ordinal)), string.Join(";", e.Hostings));
        Compare(changes, "effectiveFrom", Day(r.EffectiveFrom), Day(e.EffectiveFrom));
        Compare(changes, "transitionDeadline", Day(r.TransitionDeadline), Day(e.TransitionDeadline));
        Compare(changes, "reason", r.Reason, e.Reason);
        return changes;
    }

    private static void Compare<T>(List<string> changes, string field, T before, T after)
    {
        if (!EqualityComparer<T>.Default.Equals(before, after))
        {
            changes.Add($"{field}: {Show(before)} → {Show(after)}");
        }
    }

    private static string Show<T>(T value) => value switch
    {
        null => "—",
        string { Length: 0 } => "—",
        string s => s.Length > 80 ? s[..80] + "…" : s,
        _ => value.ToString()!,
    };

    private static string? Day(DateTime? d) => d?.ToString("yyyy-MM-dd");

    private static string Describe(int? modelId, string? provider, Sectors sectors, Dictionary<int, string> models) =>
        (modelId is { } m ? models.GetValueOrDefault(m) ?? $"model {m}" : $"every {provider} model")
        + (sectors == Sectors.None ? "" : $" for {sectors}");

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
