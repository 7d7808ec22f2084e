using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// A snapshot of everything the rule needs besides the binding itself: the models, each model's approvals and
/// the restrictions that name it (directly or through its provider). Built once per check run, cached for the
/// decision API; evaluating a binding against it is a few array reads.
/// </summary>
public sealed class ReferenceData
{
    private readonly Entry?[] _byId;
    private readonly List<Approval> _approvals;

    private sealed record Entry(Model Model, Approval[] Approvals, Restriction[] Restrictions);

    public ReferenceData(IEnumerable<Model> models, IEnumerable<Approval> approvals, IEnumerable<Restriction> restrictions, DateTime loadedAt)
    {
        LoadedAt = loadedAt;
        var modelList = models.ToList();
        _approvals = [.. approvals.Where(a => a.Status is ApprovalStatus.Approved or ApprovalStatus.Expired)];
        var counted = _approvals.ToLookup(a => a.ModelId);
        var restrictionList = restrictions.ToList();
        _byId = new Entry?[modelList.Count == 0 ? 1 : modelList.Max(m => m.Id) + 1];
        foreach (var m in modelList)
        {
            _byId[m.Id] = new Entry(m, [.. counted[m.Id]], [.. restrictionList.Where(r => BindingEvaluator.Names(r, m))]);
        }

        Models = modelList;
        Restrictions = restrictionList;
    }

    public DateTime LoadedAt { get; }

    public IReadOnlyList<Model> Models { get; }

    public IReadOnlyList<Restriction> Restrictions { get; }

    /// <summary>
    /// The same snapshot with one more restriction and without some approvals: a what-if question answered by the
    /// same rule, with nothing written (<see cref="Approvals.BlastRadiusService"/>).
    /// </summary>
    public ReferenceData Assuming(Restriction? added, IReadOnlySet<int> revokedApprovals) =>
        new(Models, _approvals.Where(a => !revokedApprovals.Contains(a.Id)), added is null ? Restrictions : [.. Restrictions, added], LoadedAt);

    public Model? FindModel(int id) => (uint)id < (uint)_byId.Length ? _byId[id]?.Model : null;

    public IReadOnlyList<Approval> ApprovalsOf(int modelId) => Get(modelId).Approvals;

    /// <summary>The rule for one binding; the model must be in the snapshot.</summary>
    public Evaluation Evaluate(in BindingFacts binding, DateTime at, TimeSpan expiringSoonWindow)
    {
        var entry = Get(binding.ModelId);
        return BindingEvaluator.Evaluate(binding, entry.Model, entry.Approvals, entry.Restrictions, at, expiringSoonWindow);
    }

    /// <summary>
    /// Models the rule allows for this workload, customer and usage at <paramref name="at"/> (so: approved for its
    /// level and categories, in scope, not retired, not restricted), without the given model, those not deprecated
    /// first, then by provider and name: the suggestions of a transition plan.
    /// </summary>
    public IReadOnlyList<Model> AllowedAlternatives(in BindingFacts binding, DateTime at, TimeSpan expiringSoonWindow)
    {
        var allowed = new List<(Model Model, bool Warned)>();
        foreach (var model in Models)
        {
            if (model.Id == binding.ModelId)
            {
                continue;
            }

            var evaluation = Evaluate(binding with { ModelId = model.Id }, at, expiringSoonWindow);
            if (evaluation.Allowed)
            {
                allowed.Add((model, evaluation.Reasons.Count > 0));
            }
        }

        return [.. allowed.OrderBy(a => a.Warned).ThenBy(a => a.Model.Provider).ThenBy(a => a.Model.DisplayName).ThenBy(a => a.Model.Id).Select(a => a.Model)];
    }

    /// <summary>
    /// Whether a model other than the binding's own is allowed for its workload, customer and usage: the question the
    /// blast radius asks of every binding it breaks. Answered from up to two allowed models per workload shape (its
    /// facts without the model), which <paramref name="shapes"/> remembers, so a million bindings ask it a few
    /// thousand times.
    /// </summary>
    public bool HasAlternative(in BindingFacts binding, DateTime at, TimeSpan expiringSoonWindow, Dictionary<BindingFacts, (int Count, int First)> shapes)
    {
        var shape = binding with { ModelId = 0 };
        if (!shapes.TryGetValue(shape, out var allowed))
        {
            foreach (var model in Models)
            {
                if (Evaluate(shape with { ModelId = model.Id }, at, expiringSoonWindow).Allowed)
                {
                    allowed = (allowed.Count + 1, allowed.Count == 0 ? model.Id : allowed.First);
                    if (allowed.Count == 2)
                    {
                        break;
                    }
                }
            }

            shapes[shape] = allowed;
        }

        return allowed.Count >= 2 || (allowed.Count == 1 && allowed.First != binding.ModelId);
    }

    private Entry Get(int modelId) =>
        ((uint)modelId < (uint)_byId.Length ? _byId[modelId] : null)
        ?? throw new KeyNotFoundException($"Model #{modelId} is not in the reference data.");

    /// <summary>Reads models, approvals and restrictions (small tables) with EF Core, untracked.</summary>
    public static async Task<ReferenceData> LoadAsync(ComplianceDb db, DateTime at, CancellationToken ct)
    {
        var models = await db.Models.AsNoTracking().ToListAsync(ct);
        var approvals = await db.Approvals.AsNoTracking()
            .Where(a => a.Status == ApprovalStatus.Approved || a.Status == ApprovalStatus.Expired).ToListAsync(ct);
        var restrictions = await db.Restrictions.AsNoTracking().Where(r => r.LiftedAt == null || r.LiftedAt > at).ToListAsync(ct);
        return new ReferenceData(models, approvals, restrictions, at);
    }
}
