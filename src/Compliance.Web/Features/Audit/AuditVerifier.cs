using System.Globalization;
using System.Text;
using Compliance.Data;
using Compliance.Data.Audit;
using Compliance.Domain;
using Compliance.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Audit;

/// <summary>
/// Verifies the whole trail — the chain, every anchor (attestations in the database, the external anchor file), and
/// the data against the trail (edited, inserted and deleted rows; re-derived binding copies) — and stores the result
/// as an <see cref="AuditVerification"/>, whose Progress column tells <c>/audit</c> how far a run has got. Runs as a
/// recurring Hangfire job and on an auditor's request. An intact chain's head is then anchored outside the database.
/// </summary>
public sealed class AuditVerifier(IDbContextFactory<ComplianceDb> factory, AuditAnchorLog anchors, TimeProvider clock, ILogger<AuditVerifier> log)
{
    public const string Actor = "system:audit-verification";
    public const string RecurringId = "audit-verification";

    private const int MaxProblems = 20;

    /// <summary>The recurring job: one verification at a time across instances (see <see cref="InstanceLock"/>: no wait after a crash).</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task RunScheduledAsync(CancellationToken ct)
    {
        await using var exclusive = await InstanceLock.AcquireAsync(factory, RecurringId, ct);
        await VerifyAsync(Actor, null, ct);
    }

    /// <summary>Runs a verification now, reporting each stage to <paramref name="progress"/> as well as to the stored row.</summary>
    public async Task<AuditVerification> VerifyAsync(string requestedBy, IProgress<string>? progress, CancellationToken ct)
    {
        var verification = new AuditVerification
        {
            StartedAt = clock.GetUtcNow().UtcDateTime, Status = AuditVerificationStatus.Running, RequestedBy = requestedBy, Progress = "Starting",
        };
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            db.AuditVerifications.Add(verification);
            await db.SaveChangesAsync(ct);
        }

        var stored = new StoredProgress(factory, verification.Id, clock, progress);
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var chain = await AuditTrail.VerifyChainAsync(db, new Report<long>(n => stored.Report($"Walking the chain: {n:N0} events", n)), ct);
            stored.Report("Checking the anchors", chain.EventsChecked);
            var attestationBreaks = await AuditAnchors.FindBrokenAsync(db, ct);
            var (external, unreadable) = await anchors.ReadAsync(ct);
            var externalBreaks = await AuditAnchors.FindBrokenAsync(db, external, ct);
            var drift = await AuditTrail.FindDriftAsync(db, new Report<string>(s => stored.Report(s, chain.EventsChecked)), ct);

            var problems = new List<string>();
            if (chain.Break is { } broken)
            {
                problems.Add($"The chain breaks at event {broken.EventId} (position {broken.Position:N0}): {broken.Why}.");
            }

            problems.AddRange(attestationBreaks.Concat(externalBreaks).Select(b =>
                $"Anchor \"{b.VerificationCode}\" ({b.IssuedAt:yyyy-MM-dd HH:mm} UTC) recorded event {b.EventId}, but {b.Why}."));
            problems.AddRange(unreadable.Select(n => $"Line {n} of the anchor file cannot be read: the file was edited."));
            problems.AddRange(drift.Select(d => $"{d.Entity} {d.Key}: {d.Why}."));

            verification.FinishedAt = clock.GetUtcNow().UtcDateTime;
            verification.EventsChecked = chain.EventsChecked;
            verification.HeadEventId = chain.HeadEventId;
            verification.HeadHash = chain.HeadHash;
            verification.BreakEventId = chain.Break?.EventId;
            verification.AnchorsChecked = await db.Attestations.CountAsync(ct) + external.Count;
            verification.AnchorBreaks = attestationBreaks.Count + externalBreaks.Count + unreadable.Count;
            verification.DriftRows = drift.Count;
            verification.Status = problems.Count == 0 ? AuditVerificationStatus.Intact : AuditVerificationStatus.ProblemsFound;
            verification.Problems = Summarise(problems);
            verification.Progress = null;
            await stored.SaveAsync(verification, ct);

            // Only a head the walk proved (chain whole, every anchor found) is anchored: a cut chain is not blessed.
            if (chain.Break is null && verification.AnchorBreaks == 0 && chain.HeadEventId > 0)
            {
                await anchors.AppendAsync(new AuditAnchor(verification.FinishedAt.Value, chain.HeadEventId, chain.HeadHash, $"verification {verification.Id}"), ct);
            }

            log.LogInformation("Audit verification {Id}: {Status}, {Events} events, head {Head}, {Anchors} anchor breaks, {Drift} drifted rows",
                verification.Id, verification.Status, verification.EventsChecked, verification.HeadEventId, verification.AnchorBreaks, verification.DriftRows);
            return verification;
        }
        catch (Exception ex)
        {
            verification.FinishedAt = clock.GetUtcNow().UtcDateTime;
            verification.Status = AuditVerificationStatus.Failed;
            verification.Progress = null;
            verification.Problems = ex is OperationCanceledException ? "Cancelled." : "The verification failed: " + Clip(ex.Message, 3900);
            await stored.SaveAsync(verification, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The newest finished verification and a running one, if any (what <c>/audit</c> and <c>/health</c> show).</summary>
    public async Task<(AuditVerification? Last, AuditVerification? Running)> LatestAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var last = await db.AuditVerifications.AsNoTracking().Where(v => v.Status != AuditVerificationStatus.Running)
            .OrderByDescending(v => v.Id).FirstOrDefaultAsync(ct);
        var running = await db.AuditVerifications.AsNoTracking().Where(v => v.Status == AuditVerificationStatus.Running)
            .OrderByDescending(v => v.Id).FirstOrDefaultAsync(ct);
        return (last, running);
    }

    private static string? Summarise(List<string> problems)
    {
        if (problems.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var p in problems.Take(MaxProblems))
        {
            text.AppendLine(p);
        }

        if (problems.Count > MaxProblems)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"… and {problems.Count - MaxProblems:N0} more.");
        }

        return Clip(text.ToString(), 4000);
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>Writes the stage to the row at most once a second (a context of its own), and passes it to the caller.</summary>
    private sealed class StoredProgress(IDbContextFactory<ComplianceDb> factory, int id, TimeProvider clock, IProgress<string>? caller)
    {
        private DateTimeOffset _last = DateTimeOffset.MinValue;

        public void Report(string stage, long events)
        {
            caller?.Report(stage);
            var now = clock.GetUtcNow();
            if (now - _last < TimeSpan.FromSeconds(1))
            {
                return;
            }

            _last = now;
            using var db = factory.CreateDbContext();
            var row = db.AuditVerifications.Single(v => v.Id == id);
            row.Progress = Clip(stage, 200);
            row.EventsChecked = events;
            db.SaveChanges();
        }

        public async Task SaveAsync(AuditVerification result, CancellationToken ct)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            db.AuditVerifications.Update(result);
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Reports synchronously, on the walking thread (<see cref="Progress{T}"/> would post to the thread pool, out of order).</summary>
    private sealed class Report<T>(Action<T> report) : IProgress<T>
    {
        void IProgress<T>.Report(T value) => report(value);
    }
}
