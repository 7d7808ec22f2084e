using System.Text.Json;
using Json.Schema;

namespace Compliance.Web.Features.Approvals;

/// <summary>
/// The shape of a JSON approval list, checked against the schema the app publishes (docs/approval-list.schema.json,
/// embedded), so the list a publisher validates against is the list the app accepts: the schema finds the shape
/// errors (unknown fields, wrong types); what a field means (a known model, a level, a
/// date, lengths) is checked by <see cref="ApprovalListReader"/>, which words every message in the list owner's terms.
/// </summary>
internal static class ApprovalListSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = typeof(ApprovalListSchema).Assembly.GetManifestResourceStream("Compliance.Web.approval-list.schema.json")
            ?? throw new InvalidOperationException("The approval list schema is not embedded in the app.");
        using var reader = new StreamReader(stream);
        // Its own registry: the global one refuses a second schema with the same $id (a test loads the published file too).
        return JsonSchema.FromText(reader.ReadToEnd(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    });

    /// <summary>A shape problem: where (the JSON location's segments) and whether it is an unknown field or a wrong type.</summary>
    public readonly record struct Problem(string[] At, bool Unknown);

    /// <summary>Unknown fields and wrong types, in document order; other keywords are left to the reader.</summary>
    public static List<Problem> ShapeProblems(JsonElement root)
    {
        var result = Schema.Value.Evaluate(root, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var problems = new List<Problem>();
        foreach (var detail in result.IsValid ? [] : result.Details ?? [])
        {
            var unknown = detail.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal);
            if (detail.Errors is { Count: > 0 } found && (unknown || found.ContainsKey("type")))
            {
                problems.Add(new(detail.InstanceLocation.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries), unknown));
            }
        }

        return problems;
    }
}
