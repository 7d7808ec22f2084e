using System.Collections.Concurrent;
using System.Diagnostics;
using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// One check run: every active binding evaluated by <see cref="BindingEvaluator"/>, streaming (the inventory is never
/// held in memory), findings upserted by (binding, rule), the unseen ones resolved, waivers applied, and a
/// <see cref="CheckRun"/> recorded. Readers scan id ranges of <c>Bindings</c> on their own connections and hand
/// findings in batches to one writer thread. Runs one at a time per process; idempotent (a re-run changes only LastSeen).
/// </summary>
public sealed class CheckRunner(
    IDbContextFactory<ComplianceDb> factory,
    IOptions<CheckOptions> options,
    TimeProvider clock,
    ILogger<CheckRunner> log)
{
    public const string Actor = "system:check-run";

    private const int BatchSize = 4096;

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>
    /// Raised after a run or a model's re-check has written its findings, so caches of what they count (the posture
    /// dashboard's snapshot) are dropped at once rather than at their expiry.
    /// </summary>
    public event Action? FindingsWritten;

    public async Task<CheckRun> RunAsync(CheckTrigger trigger, CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            return await RunExclusiveAsync(trigger, ct);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Re-checks only the bindings of one model (after its approvals or restrictions changed): same reference data and
    /// rule as <see cref="RunAsync"/>, only those bindings' findings written; no <see cref="CheckRun"/> is recorded.
    /// </summary>
    public async Task<ModelRecheckResult> RunForModelAsync(int modelId, CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            var watch = Stopwatch.StartNew();
            await using var db = await factory.CreateDbContextAsync(ct);
            await using var instances = await CheckRunLock.AcquireAsync(db, ct);
            var at = db.AsStored(clock.GetUtcNow().UtcDateTime);
            var reference = await ModelRecheck.LoadReferenceAsync(db, modelId, at, ct);
            var result = ModelRecheck.Run(CheckStore.For(db), reference, modelId, at, options.Value.ExpiringSoonWindow, watch, ct);
            log.LogInformation("Re-checked the {Evaluated} bindings of model {Model}: {Opened} findings opened, {Changed} changed, {Resolved} resolved in {Elapsed} ms",
                result.BindingsEvaluated, modelId, result.Opened, result.Changed, result.Resolved, result.ElapsedMs);
            FindingsWritten?.Invoke();
            return result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<CheckRun> RunExclusiveAsync(CheckTrigger trigger, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var instances = await CheckRunLock.AcquireAsync(db, ct);
        // As the database stores it: the trail's replay of LastSeen must match the table, and a waiver granted at this
        // same instant (saved through EF, so stored the same way) must be in force.
        var at = db.AsStored(clock.GetUtcNow().UtcDateTime);
        db.As(Actor, $"{trigger} check run");
        // Runs are serialised (across instances too, on PostgreSQL), so one still "running" was interrupted (process stopped mid-run): say so.
        foreach (var stale in await db.CheckRuns.Where(r => r.Status == CheckRunStatus.Running).ToListAsync(ct))
        {
            stale.Status = CheckRunStatus.Failed;
            stale.FinishedAt ??= at;
            stale.Error = InterruptedRuns.Message;
        }

        var run = new CheckRun { StartedAt = at, Status = CheckRunStatus.Running, Trigger = trigger };
        db.CheckRuns.Add(run);
        await db.SaveChangesAsync(ct);

        try
        {
            var reference = await ReferenceData.LoadAsync(db, at, ct);
            var store = CheckStore.For(db);
            using var memory = store.BoundMemory();
            var workloads = store.LoadWorkloads(ct);
            var loadedMs = watch.ElapsedMilliseconds;
            var (evaluated, compliant, totals, scannedMs) = await Task.Run(() => Evaluate(store, reference, workloads, run.Id, at, watch, ct), ct);
            run.BindingsEvaluated = evaluated;
            run.CompliantBindings = compliant;
            run.FindingsOpened = totals.Opened;
            run.FindingsResolved = totals.Resolved;
            run.OpenCritical = totals.OpenCritical;
            run.OpenHigh = totals.OpenHigh;
            run.OpenMedium = totals.OpenMedium;
            run.OpenWarnings = totals.OpenWarnings;
            run.Status = CheckRunStatus.Succeeded;
            log.LogInformation(
                "Check run {Run} ({Trigger}): {Evaluated} bindings, {Compliant} compliant, {Opened} findings opened, {Resolved} resolved in {Elapsed} ms (reference data {Loaded} ms, scan and upsert done at {Scanned} ms)",
                run.Id, trigger, evaluated, compliant, run.FindingsOpened, run.FindingsResolved, watch.ElapsedMilliseconds, loadedMs, scannedMs);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            run.Status = CheckRunStatus.Cancelled;
            await FinishAsync(db, run, CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Check run {Run} failed", run.Id);
            run.Status = CheckRunStatus.Failed;
            run.Error = ex.Message.Length > 4000 ? ex.Message[..4000] : ex.Message;
            await FinishAsync(db, run, CancellationToken.None);
            throw;
        }

        await FinishAsync(db, run, ct);
        FindingsWritten?.Invoke();
        return run;
    }

    /// <summary>Readers evaluate their id ranges and queue findings in batches; this thread writes them, then completes.</summary>
    private (int Evaluated, int Compliant, FindingTotals Totals, long ScannedMs) Evaluate(
        ICheckStore store, ReferenceData reference, WorkloadTable workloads, int runId, DateTime at, Stopwatch watch, CancellationToken ct)
    {
        var window = options.Value.ExpiringSoonWindow;
        var (min, max) = store.BindingIdRange();
        var ranges = CheckStore.Ranges(min, max, Math.Clamp(options.Value.ReaderCount, 1, 8));
        using var queue = new BlockingCollection<List<FindingRow>>(boundedCapacity: 32);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var evaluated = 0;
        var compliant = 0;

        // The writer first: on SQLite it then holds the write lock from before the readers' snapshots until it commits,
        // so every binding they hand it still exists (SqliteCheckStore writes without re-checking the foreign key).
        using var writer = store.BeginFindings(runId, at);
        var scans = ranges.Select(range => Task.Run(() =>
        {
            var (from, to) = range;
            var memo = new EvaluationMemo(reference, at, window);
            var batch = new List<FindingRow>(BatchSize);
            int seen = 0, ok = 0;
            store.ScanActiveBindings(at, from, to, binding =>
            {
                if (reference.FindModel(binding.ModelId) is null
                    || !workloads.TryGet(binding.WorkloadId, binding.ModelId, binding.Usage, out var facts))
                {
                    return; // created after this run's snapshot: the next run evaluates it
                }

                seen++;
                var evaluation = memo.Evaluate(facts);
                if (evaluation.Allowed)
                {
                    ok++;
                }

                foreach (var reason in evaluation.Reasons)
                {
                    batch.Add(new FindingRow(binding.Id, reason.Rule, reason.Severity, reason.Message, reason.RestrictionId, reason.ApprovalId));
                }

                if (batch.Count >= BatchSize)
                {
                    queue.Add(batch, stop.Token);
                    batch = new List<FindingRow>(BatchSize);
                }
            }, stop.Token);

            if (batch.Count > 0)
            {
                queue.Add(batch, stop.Token);
            }

            Interlocked.Add(ref evaluated, seen);
            Interlocked.Add(ref compliant, ok);
        }, stop.Token)).ToArray();

        var allScanned = Task.WhenAll(scans).ContinueWith(_ => queue.CompleteAdding(), TaskScheduler.Default);
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(stop.Token))
            {
                foreach (var finding in batch)
                {
                    writer.Write(finding);
                }
            }
        }
        catch
        {
            stop.Cancel(); // readers blocked on a full queue give up
            Task.WaitAll([allScanned]);
            throw;
        }

        allScanned.Wait(ct);
        foreach (var scan in scans)
        {
            scan.GetAwaiter().GetResult(); // surfaces a reader's exception as itself
        }
        var scannedMs = watch.ElapsedMilliseconds;
        return (evaluated, compliant, writer.Complete(ct), scannedMs);
    }

    private async Task FinishAsync(ComplianceDb db, CheckRun run, CancellationToken ct)
    {
        run.FinishedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }
}
