using Compliance.Domain;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// What changed between two attestations of one customer, read from their frozen snapshots alone: bindings added and
/// removed, statuses changed, and models replaced (a binding ended and another started on the same workload and
/// usage, as a completed transition does). Served on screen, as JSON, and used to say why an attestation went stale.
/// </summary>
public sealed record AttestationDiff(
    DiffAttestation From,
    DiffAttestation To,
    AttestationResult ResultBefore,
    AttestationResult ResultAfter,
    IReadOnlyList<DiffBinding> Added,
    IReadOnlyList<DiffBinding> Removed,
    IReadOnlyList<DiffStatusChange> StatusChanged,
    IReadOnlyList<DiffModelReplacement> ModelsReplaced,
    IReadOnlyList<DiffApproval> ApprovalsEnded)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && StatusChanged.Count == 0 && ModelsReplaced.Count == 0
        && ApprovalsEnded.Count == 0 && ResultBefore == ResultAfter;

    /// <summary>Compares <paramref name="from"/> (the older statement) with <paramref name="to"/>.</summary>
    public static AttestationDiff Compare(AttestationSnapshot from, AttestationSnapshot to)
    {
        var before = Bindings(from);
        var after = Bindings(to);
        var removed = before.Values.Where(b => !after.ContainsKey(b.BindingId)).ToList();
        var added = after.Values.Where(b => !before.ContainsKey(b.BindingId)).ToList();

        // A completed transition ends one binding and starts another on the same workload and usage: one replacement.
        var doneBy = to.TransitionPlans.Where(p => p.Status == TransitionStatus.Done).ToLookup(p => p.BindingId);
        var replaced = new List<DiffModelReplacement>();
        foreach (var old in removed.ToList())
        {
            if (added.FirstOrDefault(n => n.WorkloadId == old.WorkloadId && n.Usage == old.Usage) is { } successor)
            {
                removed.Remove(old);
                added.Remove(successor);
                replaced.Add(new DiffModelReplacement(old.WorkloadId, old.Workload, old.Usage, old.BindingId, old.HostModelId,
                    successor.BindingId, successor.HostModelId, old.Status, successor.Status, doneBy[old.BindingId].Any()));
            }
        }

        var changed = before.Values
            .Where(b => after.TryGetValue(b.BindingId, out var now) && now.Status != b.Status)
            .Select(b =>
            {
                var now = after[b.BindingId];
                return new DiffStatusChange(b.BindingId, b.WorkloadId, b.Workload, b.HostModelId, b.Status, now.Status,
                    [.. now.Rules.Except(b.Rules).Order()], [.. b.Rules.Except(now.Rules).Order()]);
            })
            .ToList();

        var approvalsNow = to.Approvals.Select(a => a.Id).ToHashSet();
        var ended = from.Approvals.Where(a => !approvalsNow.Contains(a.Id))
            .Select(a => new DiffApproval(a.Id, a.HostModelId, a.MaxImpactLevel, a.ValidUntil))
            .ToList();

        return new AttestationDiff(DiffAttestation.Of(from), DiffAttestation.Of(to), from.Result, to.Result,
            [.. added.OrderBy(b => b.Workload).ThenBy(b => b.BindingId)], [.. removed.OrderBy(b => b.Workload).ThenBy(b => b.BindingId)],
            [.. changed.OrderBy(c => c.Workload).ThenBy(c => c.BindingId)], [.. replaced.OrderBy(r => r.Workload).ThenBy(r => r.FromBindingId)],
            ended);
    }

    private static Dictionary<int, DiffBinding> Bindings(AttestationSnapshot snapshot) =>
        snapshot.Workloads.SelectMany(w => w.Bindings.Select(b => new DiffBinding(
                b.Id, w.Id, w.Name, b.Model.HostModelId, b.Model.DisplayName, b.Usage, b.Status,
                [.. b.Findings.Where(f => f.Severity != Severity.Warning).Select(f => f.Rule).Distinct()])))
            .ToDictionary(b => b.BindingId);
}

public sealed record DiffAttestation(string VerificationCode, DateTime AsOf, string Issuer)
{
    public static DiffAttestation Of(AttestationSnapshot s) => new(s.VerificationCode, s.AsOf, s.Issuer);
}

/// <summary>A binding as one of the two attestations states it; <see cref="Rules"/> are its failing rules (no warnings).</summary>
public sealed record DiffBinding(
    int BindingId, int WorkloadId, string Workload, string HostModelId, string Model, Usage Usage, AttestationResult Status,
    IReadOnlyList<FindingRule> Rules);

/// <summary>A binding in both, with a different status; the rules that started and stopped failing.</summary>
public sealed record DiffStatusChange(
    int BindingId, int WorkloadId, string Workload, string HostModelId, AttestationResult Before, AttestationResult After,
    IReadOnlyList<FindingRule> RulesNowFailing, IReadOnlyList<FindingRule> RulesNoLongerFailing);

/// <summary>One binding ended and another started on the same workload and usage; <see cref="ByTransitionPlan"/> when a plan marked done.</summary>
public sealed record DiffModelReplacement(
    int WorkloadId, string Workload, Usage Usage, int FromBindingId, string FromHostModelId, int ToBindingId, string ToHostModelId,
    AttestationResult Before, AttestationResult After, bool ByTransitionPlan);

/// <summary>An approval the older attestation listed for the customer's models that is no longer in force.</summary>
public sealed record DiffApproval(int ApprovalId, string HostModelId, ImpactLevel MaxImpactLevel, DateTime? ValidUntil);
