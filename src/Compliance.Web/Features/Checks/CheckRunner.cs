using System.Diagnostics;
using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Checks;

/// <summary>
/// One check run: every active binding evaluated by <see cref="BindingEvaluator"/>, streaming (the inventory is never
/// held in memory), findings upserted by (binding, rule), the unseen ones resolved, waivers applied, and a
/// <see cref="CheckRun"/> recorded. Runs one at a time per process; idempotent (a re-run changes only LastSeen).
/// </summary>
public sealed class CheckRunner(
    IDbContextFactory<ComplianceDb> factory,
    IOptions<CheckOptions> options,
    TimeProvider clock,
    ILogger<CheckRunner> log)
{
    public const string Actor = "system:check-run";

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

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

    private async Task<CheckRun> RunExclusiveAsync(CheckTrigger trigger, CancellationToken ct)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        var window = options.Value.ExpiringSoonWindow;
        var watch = Stopwatch.StartNew();
        await using var db = await factory.CreateDbContextAsync(ct);
        db.As(Actor, $"{trigger} check run");
        var run = new CheckRun { StartedAt = at, Status = CheckRunStatus.Running, Trigger = trigger };
        db.CheckRuns.Add(run);
        await db.SaveChangesAsync(ct);

        try
        {
            var reference = await ReferenceData.LoadAsync(db, at, ct);
            var store = CheckStore.For(db);
            var workloads = store.LoadWorkloads(ct);
            int evaluated = 0, compliant = 0;
            using (var writer = store.BeginFindings(run.Id, at))
            {
                store.ScanActiveBindings(at, binding =>
                {
                    if (reference.FindModel(binding.ModelId) is null
                        || !workloads.TryGet(binding.WorkloadId, binding.ModelId, binding.Usage, out var facts))
                    {
                        return; // created after this run's snapshot: the next run evaluates it
                    }

                    evaluated++;
                    var evaluation = reference.Evaluate(facts, at, window);
                    if (evaluation.Allowed)
                    {
                        compliant++;
                    }

                    foreach (var reason in evaluation.Reasons)
                    {
                        writer.Write(new FindingRow(binding.Id, reason.Rule, reason.Severity, reason.Message, reason.RestrictionId, reason.ApprovalId));
                    }
                }, ct);

                var totals = writer.Complete(ct);
                run.FindingsOpened = totals.Opened;
                run.FindingsResolved = totals.Resolved;
                run.OpenCritical = totals.OpenCritical;
                run.OpenHigh = totals.OpenHigh;
                run.OpenMedium = totals.OpenMedium;
                run.OpenWarnings = totals.OpenWarnings;
            }

            run.BindingsEvaluated = evaluated;
            run.CompliantBindings = compliant;
            run.Status = CheckRunStatus.Succeeded;
            log.LogInformation("Check run {Run} ({Trigger}): {Evaluated} bindings, {Compliant} compliant, {Opened} findings opened, {Resolved} resolved in {Elapsed} ms",
                run.Id, trigger, evaluated, compliant, run.FindingsOpened, run.FindingsResolved, watch.ElapsedMilliseconds);
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
        return run;
    }

    private async Task FinishAsync(ComplianceDb db, CheckRun run, CancellationToken ct)
    {
        run.FinishedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }
}
