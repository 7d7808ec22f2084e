using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;

namespace Compliance.Domain;

/// <summary>One deployable model offering: a provider's model as one host serves it in one region.</summary>
public class Model
{
    public int Id { get; set; }

    /// <summary>Anthropic, Meta, Amazon, OpenAI…</summary>
    public required string Provider { get; set; }

    /// <summary>The id the host names the model by, e.g. <c>anthropic.claude-3-5-sonnet-20241022-v2:0</c>.</summary>
    public required string HostModelId { get; set; }

    public required string DisplayName { get; set; }

    public string Version { get; set; } = "";

    /// <summary>AWS Bedrock, AWS Bedrock GovCloud, Azure OpenAI Government, Vertex AI, Self-hosted…</summary>
    public required string Hosting { get; set; }

    public string Region { get; set; } = "";

    public DateTime? DeprecatedOn { get; set; }

    public DateTime? RetiredOn { get; set; }

    public string? Description { get; set; }

    public ModelLifecycle LifecycleAt(DateTime at) => Lifecycle(DeprecatedOn, RetiredOn, at);

    /// <summary>
    /// "The model named by host id, hosting and region", once, for every path that finds a model by name (the inventory's
    /// duplicate check, the CycloneDX import, approval lists, the decision API): an EF Core filter that every engine
    /// translates (<c>lower(…)</c> on each column). The key compares case-insensitively (ADR 014): a pipeline sending
    /// <c>GPT-4o</c> finds the model stored as <c>gpt-4o</c>. A null hosting or region matches any.
    /// </summary>
    public static Expression<Func<Model, bool>> Matching(string hostModelId, string? hosting = null, string? region = null)
    {
        var m = Rule.Parameters[0];
        var key = Expression.Constant(new ModelKey(hostModelId, hosting, region));
        var body = ReplacingExpressionVisitor.Replace(Rule.Parameters[1], key, Rule.Body);
        return Expression.Lambda<Func<Model, bool>>(body, m);
    }

    /// <summary><see cref="Matching"/> in memory (cached models, rows already read): the same expression, compiled once.</summary>
    public static bool Matches(string modelHostId, string modelHosting, string modelRegion, ModelKey key) =>
        CompiledRule(new Model { Provider = "", DisplayName = "", HostModelId = modelHostId, Hosting = modelHosting, Region = modelRegion }, key);

    /// <inheritdoc cref="Matches(string, string, string, ModelKey)"/>
    public bool Matches(ModelKey key) => CompiledRule(this, key);

    private static readonly Expression<Func<Model, ModelKey, bool>> Rule = (m, key) =>
        m.HostModelId.ToLower() == key.HostModelId
        && (key.Hosting == null || m.Hosting.ToLower() == key.Hosting)
        && (key.Region == null || m.Region.ToLower() == key.Region);

    private static readonly Func<Model, ModelKey, bool> CompiledRule = Rule.Compile();

    /// <summary>The lifecycle rule, once: for a model, a snapshot's copy of its dates, or a grid row.</summary>
    public static ModelLifecycle Lifecycle(DateTime? deprecatedOn, DateTime? retiredOn, DateTime at) =>
        retiredOn <= at ? ModelLifecycle.Retired
        : deprecatedOn <= at ? ModelLifecycle.Deprecated
        : ModelLifecycle.Active;
}

/// <summary>
/// How a caller names a model: the host's model id, and its hosting and region where given (null: any), trimmed and
/// lower-cased. Equal keys name the same model (a record): an importer keys its rows and the inventory's models by it.
/// </summary>
public sealed record ModelKey
{
    public ModelKey(string hostModelId, string? hosting = null, string? region = null)
    {
        HostModelId = Fold(hostModelId)!;
        Hosting = Fold(hosting);
        Region = Fold(region);
    }

    public string HostModelId { get; }

    public string? Hosting { get; }

    public string? Region { get; }

    private static string? Fold(string? text) => text?.Trim().ToLowerInvariant();
}
