using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Inventory.CycloneDx;

/// <summary>
/// The inventory as a CycloneDX 1.6 AI-BOM: models are <c>machine-learning-model</c> components, workloads
/// are services (their data categories as data classifications), and each workload depends on the
/// models bound to it. Product-specific facts travel as <c>aimc:</c> properties so an export imports back.
/// </summary>
public static class CycloneDxExport
{
    public const string Prefix = "aimc:";

    public static async Task WriteAsync(ComplianceDb db, Stream output, int? customerId, DateTime at, CancellationToken ct)
    {
        var workloads = db.Workloads.AsNoTracking().Where(w => customerId == null || w.CustomerId == customerId);
        var bindings = await db.Bindings.AsNoTracking()
            .Where(b => b.From <= at && (b.To == null || b.To > at) && workloads.Any(w => w.Id == b.WorkloadId))
            .Select(b => new { b.WorkloadId, b.ModelId, b.Usage }).ToListAsync(ct);
        var modelIds = bindings.Select(b => b.ModelId).ToHashSet();
        var models = await db.Models.AsNoTracking().Where(m => customerId == null || modelIds.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync(ct);
        var services = await workloads.OrderBy(w => w.Id)
            .Select(w => new { w.Id, w.Name, w.Owner, w.OwnerEmail, w.Environment, w.ImpactLevel, w.DataCategories, Customer = w.Customer!.Name, w.Customer.Code })
            .ToListAsync(ct);
        var customer = customerId is null ? null : await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId, ct);

        var bom = new JsonObject
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.6",
            ["serialNumber"] = $"urn:uuid:{Guid.NewGuid()}",
            ["version"] = 1,
            ["metadata"] = new JsonObject
            {
                ["timestamp"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["tools"] = new JsonObject { ["components"] = new JsonArray(new JsonObject { ["type"] = "application", ["name"] = "AI Model Compliance" }) },
                ["component"] = new JsonObject
                {
                    ["type"] = "application",
                    ["bom-ref"] = "inventory",
                    ["name"] = customer is null ? "AI model inventory" : $"AI model inventory of {customer.Name}",
                },
            },
            ["components"] = new JsonArray([.. models.Select(Component)]),
            ["services"] = new JsonArray([.. services.Select(s => (JsonNode)new JsonObject
            {
                ["bom-ref"] = $"workload-{s.Id}",
                ["provider"] = new JsonObject { ["name"] = s.Customer },
                ["name"] = s.Name,
                ["data"] = new JsonArray([.. (s.DataCategories == DataCategories.None ? [] : s.DataCategories.Members())
                    .Select(c => (JsonNode)new JsonObject { ["flow"] = "bi-directional", ["classification"] = c.ToString() })]),
                ["properties"] = Properties(("customerCode", s.Code), ("impactLevel", s.ImpactLevel.ToString()),
                    ("environment", s.Environment), ("owner", s.Owner), ("ownerEmail", s.OwnerEmail)),
            })]),
            ["dependencies"] = new JsonArray([.. bindings.GroupBy(b => b.WorkloadId).OrderBy(g => g.Key).Select(g => (JsonNode)new JsonObject
            {
                ["ref"] = $"workload-{g.Key}",
                ["dependsOn"] = new JsonArray([.. g.Select(b => b.ModelId).Distinct().Order().Select(id => (JsonNode)$"model-{id}")]),
            })]),
        };
        await JsonSerializer.SerializeAsync(output, bom, new JsonSerializerOptions { WriteIndented = true }, ct);
    }

    private static JsonNode Component(Model m)
    {
        var component = new JsonObject
        {
            ["type"] = "machine-learning-model",
            ["bom-ref"] = $"model-{m.Id}",
            ["supplier"] = new JsonObject { ["name"] = m.Provider },
            ["name"] = m.DisplayName,
        };
        if (m.Version.Length > 0) component["version"] = m.Version;
        if (m.Description is { Length: > 0 } d) component["description"] = d;
        component["modelCard"] = new JsonObject
        {
            ["properties"] = Properties(("hosting", m.Hosting)),
        };
        component["properties"] = Properties(("hostModelId", m.HostModelId), ("hosting", m.Hosting), ("region", m.Region),
            ("deprecatedOn", m.DeprecatedOn?.ToString("yyyy-MM-dd")), ("retiredOn", m.RetiredOn?.ToString("yyyy-MM-dd")));
        return component;
    }

    private static JsonArray Properties(params (string Name, string? Value)[] values) =>
        new([.. values.Where(v => !string.IsNullOrEmpty(v.Value)).Select(v => (JsonNode)new JsonObject { ["name"] = Prefix + v.Name, ["value"] = v.Value })]);
}
