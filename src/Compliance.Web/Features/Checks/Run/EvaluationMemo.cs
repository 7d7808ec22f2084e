using Compliance.Domain;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// Within one run the verdict depends only on (model, customer, level, categories, usage): many bindings share
/// one, so each distinct combination is evaluated once and its reasons (and their messages) are shared.
/// </summary>
internal sealed class EvaluationMemo(ReferenceData reference, DateTime at, TimeSpan window)
{
    private const int MaxEntries = 250_000;
    private readonly Dictionary<long, Evaluation> _seen = [];

    public Evaluation Evaluate(in BindingFacts facts)
    {
        if ((uint)facts.ModelId >= 1u << 30 || (uint)facts.CustomerId >= 1u << 22)
        {
            return reference.Evaluate(facts, at, window);
        }

        var key = ((long)facts.ModelId << 34) | ((long)facts.CustomerId << 12) | ((long)facts.ImpactLevel << 9)
            | ((long)facts.DataCategories << 3) | (long)facts.Usage;
        if (_seen.TryGetValue(key, out var known))
        {
            return known;
        }

        var evaluation = reference.Evaluate(facts, at, window);
        if (_seen.Count < MaxEntries)
        {
            _seen[key] = evaluation;
        }

        return evaluation;
    }
}
