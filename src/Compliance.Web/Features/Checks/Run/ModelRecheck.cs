using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>What re-checking one model's bindings changed.</summary>
public sealed record ModelRecheckResult(int ModelId, int BindingsEvaluated, int Compliant, int Opened, int Changed, int Resolved, long ElapsedMs);

/// <summary>
/// Re-checks the bindings of one model after its approvals (or restrictions naming it) changed: the same
/// <see cref="ReferenceData"/> and <see cref="BindingEvaluator"/> as the full run, over only that model's bindings
/// (an indexed read: <c>Bindings(ModelId, Id)</c>), and only their findings are inserted, updated, resolved and
/// waived, through the engine's check store (<see cref="ICheckStore.BeginModelRecheck"/>), in one transaction.
/// A full run afterwards finds nothing to change for those bindings.
/// </summary>
internal static class ModelRecheck
{
    /// <summary>
    /// The reference data the model's bindings need: that model, its approvals and the restrictions in force (the
    /// same filters as <see cref="ReferenceData.LoadAsync"/>, a few rows instead of every model and approval).
    /// </summary>
    public static async Task<ReferenceData> LoadReferenceAsync(ComplianceDb db, int modelId, DateTime at, CancellationToken ct)
    {
        var models = await db.Models.AsNoTracking().Where(m => m.Id == modelId).ToListAsync(ct);
        var approvals = await db.Approvals.AsNoTracking()
            .Where(a => a.ModelId == modelId && (a.Status == ApprovalStatus.Approved || a.Status == ApprovalStatus.Expired)).ToListAsync(ct);
        var restrictions = await db.Restrictions.AsNoTracking().Where(r => r.LiftedAt == null || r.LiftedAt > at).ToListAsync(ct);
        return new ReferenceData(models, approvals, restrictions, at);
    }

    public static ModelRecheckResult Run(ICheckStore store, ReferenceData reference, int modelId, DateTime at, TimeSpan window, System.Diagnostics.Stopwatch watch, CancellationToken ct)
    {
        using var findings = store.BeginModelRecheck(modelId, at);
        var wanted = new Dictionary<(int Binding, FindingRule Rule), Reason>();
        int evaluated = 0, compliant = 0;
        if (reference.FindModel(modelId) is not null)
        {
            foreach (var (binding, facts) in findings.ActiveBindings())
            {
                var evaluation = reference.Evaluate(facts, at, window);
                evaluated++;
                compliant += evaluation.Allowed ? 1 : 0;
                foreach (var reason in evaluation.Reasons)
                {
                    wanted[(binding, reason.Rule)] = reason;
                }
            }
        }

        ct.ThrowIfCancellationRequested();
        var existing = findings.Findings();
        int opened = 0, changed = 0, resolved = 0;
        foreach (var ((binding, rule), reason) in wanted)
        {
            var detail = CheckStore.Clip(reason.Message);
            if (existing.TryGetValue((binding, rule), out var known))
            {
                if (known.Status != FindingStatus.Resolved && known.Severity == reason.Severity && known.Detail == detail
                    && known.RestrictionId == reason.RestrictionId && known.ApprovalId == reason.ApprovalId)
                {
                    continue; // unchanged: LastSeen is stamped on completion
                }

                findings.Update(binding, rule, known.Id, reason, detail);
                if (known.Status == FindingStatus.Resolved)
                {
                    opened++;
                }
                else
                {
                    changed++;
                }

                continue;
            }

            findings.Insert(binding, reason, detail);
            opened++;
        }

        foreach (var (key, known) in existing)
        {
            if (known.Status != FindingStatus.Resolved && !wanted.ContainsKey(key))
            {
                resolved += findings.Resolve(key.Binding, key.Rule, known.Id);
            }
        }

        findings.Complete([.. existing.Values.Where(e => e.Status != FindingStatus.Resolved).Select(e => e.Id)], ct);
        return new ModelRecheckResult(modelId, evaluated, compliant, opened, changed, resolved, watch.ElapsedMilliseconds);
    }
}
