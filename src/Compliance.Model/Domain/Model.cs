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

    /// <summary>The lifecycle rule, once: for a model, a snapshot's copy of its dates, or a grid row.</summary>
    public static ModelLifecycle Lifecycle(DateTime? deprecatedOn, DateTime? retiredOn, DateTime at) =>
        retiredOn <= at ? ModelLifecycle.Retired
        : deprecatedOn <= at ? ModelLifecycle.Deprecated
        : ModelLifecycle.Active;
}
