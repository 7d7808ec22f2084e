using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Notifications;

/// <summary>Critical findings a run opened, as one event per run.</summary>
public sealed record CriticalFindingsOpened(int CheckRunId, DateTime CheckStartedAt, int Total, IReadOnlyList<FindingSummary> Findings, string Link);

/// <summary>Findings a run opened or resolved (<c>finding.opened</c>, <c>finding.resolved</c>): the total and the first summaries, most severe first.</summary>
public sealed record FindingsChanged(int CheckRunId, DateTime CheckStartedAt, DateTime CheckFinishedAt, int Total, IReadOnlyList<FindingSummary> Findings, string Link);

public sealed record FindingSummary(long Id, FindingRule Rule, string Model, string Workload, string Customer, string Detail);

/// <summary>A restriction whose transition deadline is near, with the bindings still on the restricted model.</summary>
public sealed record RestrictionDeadlineApproaching(
    int RestrictionId, string Target, DateTime TransitionDeadline, int DaysLeft, int UnmovedBindings, string Link);

/// <summary>
/// Decides what to announce: after a check run, the critical findings it opened (set-based: one count and the first
/// <see cref="NotificationOptions.MaxFindingsPerEvent"/> summaries); daily, the restrictions whose deadline is within
/// <see cref="NotificationOptions.DeadlineWindowDays"/> days with bindings still to move, at most once per restriction per day.
/// </summary>
public sealed class CheckNotifier(
    IDbContextFactory<ComplianceDb> factory,
    INotificationPublisher publisher,
    INotificationLedger ledger,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<CheckNotifier> log)
{
    public const string DeadlineJobId = "restriction-deadlines";

    /// <summary>Called when a run finished; never throws (the run is done; a notification problem must not re-run it).</summary>
    public async Task<NotificationEvent?> AfterCheckAsync(CheckRun run, CancellationToken ct)
    {
        try
        {
            await FindingsChangedAsync(run, ct);
            return await CriticalOpenedAsync(run, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Could not announce the critical findings of check run {Run}", run.Id);
            return null;
        }
    }

    /// <summary>A run that threw: <c>check-run.failed</c> with the error (the job then fails and Hangfire shows it).</summary>
    public void RunFailed(CheckTrigger trigger, Exception error) =>
        publisher.Publish(NotificationEvents.CheckRunFailed, new { trigger = trigger.ToString(), error = error.Message, link = "/jobs" });

    /// <summary><c>finding.opened</c> and <c>finding.resolved</c> for a run, each with its total and the first summaries.</summary>
    public async Task FindingsChangedAsync(CheckRun run, CancellationToken ct)
    {
        if (run.Status != CheckRunStatus.Succeeded || run.FindingsOpened + run.FindingsResolved == 0)
        {
            return;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var until = run.FinishedAt ?? clock.GetUtcNow().UtcDateTime;
        var max = Math.Max(0, options.Value.MaxFindingsPerEvent);
        var opened = db.Findings.AsNoTracking().Where(f => f.Status == FindingStatus.Open && f.FirstSeen >= run.StartedAt && f.FirstSeen <= until);
        var resolved = db.Findings.AsNoTracking().Where(f => f.Status == FindingStatus.Resolved && f.ResolvedAt >= run.StartedAt && f.ResolvedAt <= until);
        foreach (var (type, query, link) in new[] { (NotificationEvents.FindingOpened, opened, "/findings?status=Open"), (NotificationEvents.FindingResolved, resolved, "/findings?status=Resolved") })
        {
            var total = await query.CountAsync(ct);
            if (total == 0)
            {
                continue;
            }

            var first = await query.OrderByDescending(f => f.Severity).ThenBy(f => f.Id).Take(max)
                .Select(f => new FindingSummary(f.Id, f.Rule, f.Binding!.Model!.DisplayName, f.Binding.Workload!.Name, f.Binding.Workload.Customer!.Name, f.Detail))
                .ToListAsync(ct);
            publisher.Publish(NotificationEvent.Create(type, until, new FindingsChanged(run.Id, run.StartedAt, until, total, first, link)));
        }
    }

    public async Task<NotificationEvent?> CriticalOpenedAsync(CheckRun run, CancellationToken ct)
    {
        if (run.Status != CheckRunStatus.Succeeded || run.FindingsOpened == 0)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        // A finding inserted by this run has FirstSeen = the run's start (re-opened ones keep their first date).
        var until = run.FinishedAt ?? clock.GetUtcNow().UtcDateTime;
        var opened = db.Findings.AsNoTracking().Where(f =>
            f.Severity == Severity.Critical && f.Status == FindingStatus.Open && f.FirstSeen >= run.StartedAt && f.FirstSeen <= until);
        var total = await opened.CountAsync(ct);
        if (total == 0)
        {
            return null;
        }

        var first = await opened.OrderBy(f => f.Id).Take(Math.Max(0, options.Value.MaxFindingsPerEvent))
            .Select(f => new FindingSummary(f.Id, f.Rule, f.Binding!.Model!.DisplayName, f.Binding.Workload!.Name, f.Binding.Workload.Customer!.Name, f.Detail))
            .ToListAsync(ct);
        var notification = NotificationEvent.Create(NotificationEvent.CriticalFindingOpened, until,
            new CriticalFindingsOpened(run.Id, run.StartedAt, total, first, "/findings?severity=Critical&status=Open"));
        publisher.Publish(notification);
        return notification;
    }

    /// <summary>The daily job. Returns the events it published.</summary>
    public async Task<IReadOnlyList<NotificationEvent>> DeadlinesApproachingAsync(CancellationToken ct)
    {
        // One at a time across instances, and no wait after a crash (not DisableConcurrentExecution: see InstanceLock).
        await using var exclusive = await InstanceLock.AcquireAsync(factory, DeadlineJobId, ct);
        var at = clock.GetUtcNow().UtcDateTime;
        var horizon = at.AddDays(options.Value.DeadlineWindowDays);
        await using var db = await factory.CreateDbContextAsync(ct);
        var near = await db.Restrictions.AsNoTracking()
            .Where(r => r.EffectiveFrom <= at && (r.LiftedAt == null || r.LiftedAt > at) && r.TransitionDeadline >= at && r.TransitionDeadline <= horizon)
            .Select(r => new
            {
                r.Id,
                Target = r.Model == null ? "Every " + r.Provider + " model" : r.Model.DisplayName + " (" + r.Model.Hosting + ")",
                r.TransitionDeadline,
            })
            .ToListAsync(ct);
        if (near.Count == 0)
        {
            return [];
        }

        // Bindings still on the restricted model: restricted findings not resolved (open or waived), per restriction.
        var ids = near.Select(r => r.Id).ToList();
        var unmoved = await db.Findings.AsNoTracking()
            .Where(f => f.Rule == FindingRule.Restricted && f.Status != FindingStatus.Resolved && f.RestrictionId != null && ids.Contains(f.RestrictionId.Value))
            .GroupBy(f => f.RestrictionId!.Value)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Id, x => x.Count, ct);

        var day = DateOnly.FromDateTime(at);
        var published = new List<NotificationEvent>();
        foreach (var r in near)
        {
            var count = unmoved.GetValueOrDefault(r.Id);
            if (count == 0 || !ledger.TryClaim($"{NotificationEvent.RestrictionDeadlineApproaching}:{r.Id}", day))
            {
                continue;
            }

            var notification = NotificationEvent.Create(NotificationEvent.RestrictionDeadlineApproaching, at,
                new RestrictionDeadlineApproaching(r.Id, r.Target, r.TransitionDeadline, (int)Math.Floor((r.TransitionDeadline - at).TotalDays), count, $"/restrictions/{r.Id}"));
            publisher.Publish(notification);
            published.Add(notification);
        }

        return published;
    }
}
