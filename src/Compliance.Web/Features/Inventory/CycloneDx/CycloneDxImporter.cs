using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Inventory.Import;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Inventory.CycloneDx;

/// <summary>
/// Imports the <c>machine-learning-model</c> components of a CycloneDX 1.5/1.6 BOM as models, all or nothing.
/// The host's model id and hosting come from <c>aimc:</c> properties when present (our own exports),
/// else the component's name and "Self-hosted".
/// </summary>
public sealed class CycloneDxImporter(IDbContextFactory<ComplianceDb> factory, IInventoryChanged changed, InventoryRules? rules = null)
{
    private readonly InventoryRules _rules = rules ?? InventoryRules.Default;

    // The BOM's name for each model field, so an error points at what the author wrote.
    private static string BomField(string field) => field switch
    {
        "provider" => "supplier.name",
        "displayName" => "name",
        "hostModelId" or "hosting" or "region" => CycloneDxExport.Prefix + field,
        _ => field,
    };

    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>
    /// From an upload's stream. A BOM lists models (an organisation has hundreds), not bindings, so it is read whole —
    /// at most <see cref="MaxBytes"/> — and checked as one document.
    /// </summary>
    public async Task<ImportReport> ImportModelsAsync(string fileName, string? contentType, Stream content, string actor, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        return await ImportModelsAsync(fileName, contentType, buffer.ToArray(), actor, ct);
    }

    public async Task<ImportReport> ImportModelsAsync(string fileName, string? contentType, byte[] content, string actor, CancellationToken ct = default)
    {
        const string kind = "CycloneDX models";
        ImportReport Fail(params ImportError[] errors) => new(fileName, kind, 0, 0, errors);
        ImportError Error(string? where, string? field, string message) => new(fileName, null, field, where is null ? message : $"{where}: {message}");

        if (content.LongLength > MaxBytes)
        {
            return Fail(Error(null, null, $"The file is larger than the {MaxBytes / 1024 / 1024} MB limit."));
        }

        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is { Length: > 0 } && mediaType is not ("application/json" or "application/vnd.cyclonedx+json" or "text/json" or "application/octet-stream"))
        {
            return Fail(Error(null, null, $"The file's content type is '{mediaType}', not JSON. Upload a CycloneDX JSON BOM (.json, .cdx.json)."));
        }

        JsonObject bom;
        try
        {
            var text = Csv.DecodeUtf8(content, fileName);
            bom = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("The document is not a JSON object.");
        }
        catch (ImportException e)
        {
            return Fail(e.Error);
        }
        catch (JsonException e)
        {
            return Fail(Error(null, null, $"The file is not valid JSON: {e.Message}"));
        }

        if ((string?)bom["bomFormat"] != "CycloneDX")
        {
            return Fail(Error(null, "bomFormat", "This is not a CycloneDX BOM: bomFormat must be \"CycloneDX\"."));
        }

        if ((string?)bom["specVersion"] is not ("1.5" or "1.6"))
        {
            return Fail(Error(null, "specVersion", $"specVersion is '{bom["specVersion"]}'; import reads CycloneDX 1.5 and 1.6."));
        }

        var errors = new List<ImportError>();
        var incoming = new List<Model>();
        var components = bom["components"] as JsonArray ?? [];
        for (var i = 0; i < components.Count; i++)
        {
            if (components[i] is not JsonObject c || (string?)c["type"] != "machine-learning-model")
            {
                continue;
            }

            var where = $"components[{i}]" + ((string?)c["bom-ref"] is { } r ? $" ({r})" : "");
            var props = (c["properties"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(p => ((string?)p["name"])?.StartsWith(CycloneDxExport.Prefix, StringComparison.Ordinal) == true)
                .GroupBy(p => ((string)p["name"]!)[CycloneDxExport.Prefix.Length..])
                .ToDictionary(g => g.Key, g => (string?)g.First()["value"]);
            var name = (string?)c["name"];
            var provider = (string?)c["supplier"]?["name"] ?? (string?)c["manufacturer"]?["name"] ?? (string?)c["publisher"] ?? (string?)c["group"];
            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add(Error(where, "name", "The model component has no name."));
                continue;
            }

            if (string.IsNullOrWhiteSpace(provider))
            {
                errors.Add(Error(where, "supplier", "Name the model's provider in supplier.name, manufacturer.name, publisher or group."));
                continue;
            }

            var model = new Model
            {
                Provider = provider.Trim(),
                HostModelId = (props.GetValueOrDefault("hostModelId") ?? name).Trim(),
                DisplayName = name.Trim(),
                Version = ((string?)c["version"])?.Trim() ?? "",
                Hosting = props.GetValueOrDefault("hosting") ?? "Self-hosted",
                Region = props.GetValueOrDefault("region") ?? "",
                Description = (string?)c["description"],
            };
            foreach (var (field, set) in new (string, Action<DateTime>)[] { ("deprecatedOn", d => model.DeprecatedOn = d), ("retiredOn", d => model.RetiredOn = d) })
            {
                if (props.GetValueOrDefault(field) is { } text)
                {
                    if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
                        set(DateTime.SpecifyKind(date, DateTimeKind.Utc));
                    else
                        errors.Add(Error(where, CycloneDxExport.Prefix + field, $"'{text}' is not a date (YYYY-MM-DD)."));
                }
            }

            var wrong = InventoryRules.ModelText(model, BomField)
                .Concat(new[] { _rules.Date(CycloneDxExport.Prefix + "deprecatedOn", model.DeprecatedOn), _rules.Date(CycloneDxExport.Prefix + "retiredOn", model.RetiredOn) }.OfType<FieldError>())
                .ToList();
            if (wrong.Count > 0)
            {
                errors.AddRange(wrong.Select(e => Error(where, e.Field, e.Message)));
                continue;
            }

            var key = new ModelKey(model.HostModelId, model.Hosting, model.Region);
            if (incoming.Any(m => m.Matches(key)))
            {
                errors.Add(Error(where, "name", $"Duplicate key: '{model.HostModelId}' on {model.Hosting} {model.Region} appears twice in the BOM."));
                continue;
            }

            incoming.Add(model);
        }

        if (errors.Count > 0)
        {
            return Fail([.. errors]);
        }

        if (incoming.Count == 0)
        {
            return Fail(Error(null, "components", "The BOM has no machine-learning-model components."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        int added = 0, updated = 0;
        foreach (var m in incoming)
        {
            if (await db.Models.FirstOrDefaultAsync(Model.Matching(m.HostModelId, m.Hosting, m.Region), ct) is { } known)
            {
                known.Provider = m.Provider;
                known.DisplayName = m.DisplayName;
                known.Version = m.Version;
                known.DeprecatedOn = m.DeprecatedOn ?? known.DeprecatedOn;
                known.RetiredOn = m.RetiredOn ?? known.RetiredOn;
                known.Description = m.Description ?? known.Description;
                updated++;
            }
            else
            {
                db.Models.Add(m);
                added++;
            }
        }

        await db.As(actor, $"CycloneDX import from {fileName}").SaveChangesAsync(ct);
        changed.ModelsChanged();
        return new ImportReport(fileName, kind, added, updated, []);
    }
}
