using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Notifications;
using Compliance.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// After each check run: re-evaluates each current attestation's customer now and compares that statement with the one
/// issued (<see cref="AttestationDiff"/>). When it no longer holds, the attestation is marked stale, with the reasons in
/// words; the content stays as issued. A stale attestation stays stale until the next one for the customer supersedes it.
/// </summary>
public sealed class AttestationStaleness(
    IDbContextFactory<ComplianceDb> dbFactory, SnapshotBuilder snapshots, TimeProvider clock, ILogger<AttestationStaleness> log,
    INotificationPublisher? notifications = null)
{
    public const string Actor = "system:attestation-staleness";

    /// <summary>Marks every current attestation whose statement no longer holds; returns how many it marked.</summary>
    [AutomaticRetry(Attempts = 1, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        // One at a time across instances, and no wait after a crash (not DisableConcurrentExecution: see InstanceLock).
        await using var exclusive = await InstanceLock.AcquireAsync(dbFactory, "attestation-staleness", ct);
        List<(int Id, int CustomerId, string Code, string IssuedBy, string Statement, string Json)> current;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            current = (await db.Attestations.AsNoTracking()
                    .Where(a => a.Status == AttestationStatus.Current && a.StaleSince == null)
                    .OrderBy(a => a.Id)
                    .Select(a => new { a.Id, a.CustomerId, a.VerificationCode, a.IssuedBy, a.Statement, a.SnapshotJson })
                    .ToListAsync(ct))
                .Select(a => (a.Id, a.CustomerId, a.VerificationCode, a.IssuedBy, a.Statement, a.SnapshotJson))
                .ToList();
        }

        var marked = 0;
        foreach (var a in current)
        {
            ct.ThrowIfCancellationRequested();
            var now = clock.GetUtcNow().UtcDateTime;
            var issued = AttestationSnapshot.FromJson(a.Json);
            var today = await snapshots.BuildAsync(a.CustomerId, now, a.IssuedBy, a.Statement, a.Code, ct);
            var reasons = Reasons(AttestationDiff.Compare(issued, today));
            if (reasons.Count == 0)
            {
                continue;
            }

            var reason = Sentence(reasons);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var row = await db.Attestations.SingleAsync(x => x.Id == a.Id, ct);
            if (row.Status != AttestationStatus.Current || row.StaleSince is not null)
            {
                continue; // superseded or marked meanwhile
            }

            row.StaleSince = now;
            row.StaleReason = reason;
            db.As(Actor, $"Attestation {a.Code} is stale: {reason}");
            await db.SaveChangesAsync(ct);
            marked++;
            log.LogInformation("Attestation {Code} of customer {CustomerId} is stale: {Reason}", a.Code, a.CustomerId, reason);
            notifications?.Publish(NotificationEvents.AttestationStale, new { attestationId = a.Id, verificationCode = a.Code, customerId = a.CustomerId, staleSince = now, reason });
        }

        return marked;
    }

    /// <summary>Why a statement no longer holds, one phrase per change, in the order a reader weighs them.</summary>
    public static IReadOnlyList<string> Reasons(AttestationDiff diff)
    {
        var reasons = new List<string>();
        foreach (var c in diff.StatusChanged)
        {
            reasons.Add(c.RulesNowFailing.Contains(FindingRule.Restricted)
                ? $"a restriction took effect for {c.HostModelId} on {c.Workload}"
                : c.RulesNowFailing.Any(r => r is FindingRule.ApprovalExpired or FindingRule.Unapproved)
                    ? $"the approval {c.HostModelId} on {c.Workload} relied on ended or was revoked"
                    : $"the status of {c.HostModelId} on {c.Workload} changed from {Words(c.Before)} to {Words(c.After)}");
        }

        foreach (var r in diff.ModelsReplaced)
        {
            reasons.Add(r.ByTransitionPlan
                ? $"a transition was completed: {r.Workload} moved from {r.FromHostModelId} to {r.ToHostModelId}"
                : $"{r.Workload} replaced {r.FromHostModelId} with {r.ToHostModelId}");
        }

        reasons.AddRange(diff.ApprovalsEnded.Select(a => $"approval #{a.ApprovalId} of {a.HostModelId} ended or was revoked"));
        reasons.AddRange(diff.Added.Select(b => $"a binding was added: {b.Workload} uses {b.HostModelId}"));
        reasons.AddRange(diff.Removed.Select(b => $"a binding ended: {b.Workload} no longer uses {b.HostModelId}"));
        if (reasons.Count == 0 && diff.ResultBefore != diff.ResultAfter)
        {
            reasons.Add($"the overall result changed from {Words(diff.ResultBefore)} to {Words(diff.ResultAfter)}");
        }

        return reasons.Distinct().ToList();
    }

    /// <summary>The reasons as one sentence that fits the column (2,000 characters).</summary>
    public static string Sentence(IReadOnlyList<string> reasons)
    {
        var text = string.Join("; ", reasons);
        const int max = 2000;
        return text.Length <= max ? text : text[..(max - 40)].TrimEnd(' ', ';') + $"; and more ({reasons.Count} changes)";
    }

    public static string Words(AttestationResult result) => result switch
    {
        AttestationResult.Compliant => "compliant",
        AttestationResult.CompliantWithWaivers => "compliant with waivers",
        AttestationResult.NotCompliant => "not compliant",
        _ => "not evaluated",
    };
}

/// <summary>Enqueues the staleness comparison after a check run (when a job storage is configured).</summary>
public sealed class AttestationStalenessTrigger(IBackgroundJobClient jobs, ILogger<AttestationStalenessTrigger> log)
{
    public void AfterCheck()
    {
        try
        {
            jobs.Enqueue<AttestationStaleness>(s => s.RunAsync(CancellationToken.None));
        }
        catch (Exception e)
        {
            // The check itself succeeded; the next run asks again.
            log.LogWarning(e, "Could not enqueue the attestation staleness comparison after a check run");
        }
    }
}
