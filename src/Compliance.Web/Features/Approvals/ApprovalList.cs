using System.Globalization;
using System.Text.Json;
using Compliance.Domain;
using Compliance.Web.Features.Inventory.Import;

namespace Compliance.Web.Features.Approvals;

/// <summary>An approval as an external list states it, its model and customers resolved against the inventory.</summary>
public sealed record ApprovalListEntry(
    string Key,
    int ModelId,
    string HostModelId,
    ImpactLevel MaxImpactLevel,
    DataCategories DataCategories,
    Usages Usages,
    Sectors Sectors,
    IReadOnlyList<int> CustomerIds,
    DateTime ValidFrom,
    DateTime? ValidUntil,
    string? Conditions,
    string? Justification,
    IReadOnlyList<string>? Hostings = null)
{
    /// <summary>Hostings the approval is limited to, spelt as the inventory does; empty means any.</summary>
    public IReadOnlyList<string> Hostings { get; init; } = Hostings ?? [];
}

/// <summary>A restriction as an external list states it: a model, or a whole provider.</summary>
public sealed record RestrictionListEntry(
    string Key,
    int? ModelId,
    string? Provider,
    Sectors Sectors,
    IReadOnlyList<int> CustomerIds,
    ImpactLevel MinImpactLevel,
    DateTime EffectiveFrom,
    DateTime TransitionDeadline,
    string Reason,
    Usages Usages = Usages.All,
    IReadOnlyList<string>? Hostings = null)
{
    /// <summary>Hostings in scope, spelt as the inventory does; empty means any.</summary>
    public IReadOnlyList<string> Hostings { get; init; } = Hostings ?? [];
}

/// <summary>A whole, valid approval list.</summary>
public sealed record ApprovalList(IReadOnlyList<ApprovalListEntry> Approvals, IReadOnlyList<RestrictionListEntry> Restrictions);

/// <summary>The inventory an approval list is resolved against: models by host id, customers by code.</summary>
public sealed record ListReferenceData(IReadOnlyList<ListReferenceData.ModelRef> Models, IReadOnlyDictionary<string, int> CustomersByCode)
{
    public sealed record ModelRef(int Id, string Provider, string HostModelId, string Hosting, string Region);
}

/// <summary>
/// Reads an approval list (the project's JSON format, <c>docs/approval-list.schema.json</c>, or CSV,
/// <c>docs/import-formats.md</c>) and validates the WHOLE list: every problem is reported with the entry's
/// key (and the CSV row), and a list with any problem yields no entries.
/// </summary>
public static class ApprovalListReader
{
    public const int SchemaVersion = 1;
    private const int MaxErrors = 50;

    /// <summary>The schema's and the tables' limit on conditions, justifications and reasons.</summary>
    private const int MaxText = 2000;

    private static readonly string[] ApprovalFields =
        ["key", "hostModelId", "hosting", "region", "maxImpactLevel", "dataCategories", "usages", "sectors", "customers", "hostings", "validFrom", "validUntil", "conditions", "justification"];

    private static readonly string[] RestrictionFields =
        ["key", "hostModelId", "hosting", "region", "provider", "sectors", "customers", "minImpactLevel", "usages", "hostings", "effectiveFrom", "transitionDeadline", "reason"];

    private static readonly HashSet<string> SetFields = new(["dataCategories", "usages", "sectors", "customers", "hostings"], StringComparer.Ordinal);

    /// <summary>CSV columns (snake_case) and the field each fills.</summary>
    public static readonly IReadOnlyDictionary<string, string> CsvColumns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["kind"] = "kind", ["key"] = "key", ["host_model_id"] = "hostModelId", ["hosting"] = "hosting", ["region"] = "region",
        ["provider"] = "provider", ["max_impact_level"] = "maxImpactLevel", ["min_impact_level"] = "minImpactLevel",
        ["data_categories"] = "dataCategories", ["usages"] = "usages", ["sectors"] = "sectors", ["customers"] = "customers", ["hostings"] = "hostings",
        ["valid_from"] = "validFrom", ["valid_until"] = "validUntil", ["effective_from"] = "effectiveFrom",
        ["transition_deadline"] = "transitionDeadline", ["conditions"] = "conditions", ["justification"] = "justification", ["reason"] = "reason",
    };

    private sealed class RawEntry(string kind, string where, int? row)
    {
        public string Kind { get; } = kind;
        public string Where { get; } = where;
        public int? Row { get; } = row;
        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<string>> Lists { get; } = new(StringComparer.Ordinal);
        public string Label => Values.TryGetValue("key", out var k) && k.Length > 0 ? $"{Kind} '{k}'" : $"{Kind} at {Where}";

        /// <summary>Not an object: nothing more to say about it.</summary>
        public bool Broken { get; set; }

        /// <summary>Fields already reported for their shape, so their meaning is not reported on top.</summary>
        public HashSet<string> ShapeErrors { get; } = new(StringComparer.Ordinal);
    }

    public static (ApprovalList? List, IReadOnlyList<ImportError> Errors) Read(byte[] content, ApprovalListFormat format, string listName, ListReferenceData refs)
    {
        var errors = new List<ImportError>();
        List<RawEntry> raw;
        try
        {
            raw = format switch
            {
                ApprovalListFormat.Json => ReadJson(content, listName, errors),
                ApprovalListFormat.Csv => ReadCsv(content, listName, errors),
                _ => throw new ImportException(new ImportError(listName, null, null, $"Unknown list format {format}.")),
            };
        }
        catch (ImportException e)
        {
            return (null, [e.Error]);
        }

        var approvals = new List<ApprovalListEntry>();
        var restrictions = new List<RestrictionListEntry>();
        var seen = new Dictionary<(string, string), string>();
        foreach (var entry in raw.Where(e => !e.Broken))
        {
            var before = errors.Count;
            var key = Text(entry, "key");
            if (key is null)
            {
                Add(errors, listName, entry, "key", "has no key: every entry needs a stable key so later syncs can tell what changed.");
            }
            else if (key.Length > 200)
            {
                Add(errors, listName, entry, "key", "has a key longer than 200 characters.");
            }
            else if (!seen.TryAdd((entry.Kind, key), entry.Where))
            {
                Add(errors, listName, entry, "key", $"repeats the key of the {entry.Kind} at {seen[(entry.Kind, key)]}: keys must be unique.");
            }

            foreach (var field in (string[])["conditions", "justification", "reason"])
            {
                if (Text(entry, field) is { Length: > MaxText })
                {
                    Add(errors, listName, entry, field, $"has a {field} longer than {MaxText} characters.");
                }
            }

            if (entry.Kind == "approval")
            {
                var model = ResolveModel(entry, refs, listName, errors, required: true);
                var level = Level(entry, "maxImpactLevel", listName, errors, required: true);
                var categories = Flags<DataCategories>(entry, "dataCategories", listName, errors);
                var usages = entry.Lists.ContainsKey("usages") ? Flags<Usages>(entry, "usages", listName, errors) : Usages.All;
                if (entry.Lists.ContainsKey("usages") && usages == Usages.None)
                {
                    Add(errors, listName, entry, "usages", "grants no usage: list at least one of Inference, Agent, CodingAssistant, or leave the field out for all.");
                }

                var sectors = Flags<Sectors>(entry, "sectors", listName, errors);
                var customers = Customers(entry, refs, listName, errors);
                var hostings = Hostings(entry, refs, listName, errors);
                var from = Date(entry, "validFrom", listName, errors, required: true);
                var until = Date(entry, "validUntil", listName, errors, required: false);
                if (from is { } f && until is { } u && u <= f)
                {
                    Add(errors, listName, entry, "validUntil", $"ends ({u:yyyy-MM-dd}) on or before it starts ({f:yyyy-MM-dd}).");
                }

                if (errors.Count == before)
                {
                    approvals.Add(new ApprovalListEntry(key!, model!.Id, model.HostModelId, level, categories, usages, sectors, customers,
                        from!.Value, until, Text(entry, "conditions"), Text(entry, "justification"), hostings));
                }
            }
            else
            {
                var provider = Text(entry, "provider");
                var hasModel = Text(entry, "hostModelId") is not null;
                ListReferenceData.ModelRef? model = null;
                if (hasModel == (provider is not null))
                {
                    Add(errors, listName, entry, "provider", "must name either a model (hostModelId) or a whole provider, not both and not neither.");
                }
                else if (hasModel)
                {
                    model = ResolveModel(entry, refs, listName, errors, required: true);
                }
                else if (refs.Models.FirstOrDefault(m => string.Equals(m.Provider, provider, StringComparison.OrdinalIgnoreCase)) is { } known)
                {
                    provider = known.Provider;
                }
                else
                {
                    Add(errors, listName, entry, "provider", $"names provider '{provider}', which no model in the inventory has; check the spelling.");
                }

                var level = Level(entry, "minImpactLevel", listName, errors, required: false);
                var sectors = Flags<Sectors>(entry, "sectors", listName, errors);
                var customers = Customers(entry, refs, listName, errors);
                var restrictedUsages = Flags<Usages>(entry, "usages", listName, errors); // none listed: any usage
                var hostings = Hostings(entry, refs, listName, errors);
                var from = Date(entry, "effectiveFrom", listName, errors, required: true);
                var deadline = Date(entry, "transitionDeadline", listName, errors, required: true);
                if (from is { } f && deadline is { } d && d < f)
                {
                    Add(errors, listName, entry, "transitionDeadline", $"has a transition deadline ({d:yyyy-MM-dd}) before it takes effect ({f:yyyy-MM-dd}).");
                }

                var reason = Text(entry, "reason");
                if (reason is null)
                {
                    Add(errors, listName, entry, "reason", "has no reason: say why, the teams moving their workloads read it.");
                }

                if (errors.Count == before)
                {
                    restrictions.Add(new RestrictionListEntry(key!, model?.Id, model is null ? provider : null, sectors, customers, level,
                        from!.Value, deadline!.Value, reason!, restrictedUsages == Usages.None ? Usages.All : restrictedUsages, hostings));
                }
            }

            if (errors.Count >= MaxErrors)
            {
                errors.Add(new ImportError(listName, null, null, $"Stopped after {MaxErrors} problems; fix these and sync again."));
                break;
            }
        }

        return errors.Count > 0 ? (null, errors) : (new ApprovalList(approvals, restrictions), errors);
    }

    private static List<RawEntry> ReadJson(byte[] content, string listName, List<ImportError> errors)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ImportException(new ImportError(listName, null, null,
                $"The list is not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}): {e.Message.Split(" Path:")[0]}"));
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ImportException(new ImportError(listName, null, null, "The list must be a JSON object with schemaVersion, approvals and restrictions."));
            }

            if (!root.TryGetProperty("schemaVersion", out var version) || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out var v))
            {
                throw new ImportException(new ImportError(listName, null, "schemaVersion", $"The list has no schemaVersion; this app reads \"schemaVersion\": {SchemaVersion}."));
            }

            if (v != SchemaVersion)
            {
                throw new ImportException(new ImportError(listName, null, "schemaVersion", $"schemaVersion {v} is not supported; this app reads version {SchemaVersion}."));
            }

            // The published schema finds unknown fields and wrong types; values of the wrong type are then left out
            // below, and a field with a shape error gets no second message about its meaning.
            var problems = ApprovalListSchema.ShapeProblems(root);
            var entries = new List<RawEntry>();
            var byLocation = new Dictionary<string, RawEntry>(StringComparer.Ordinal);
            foreach (var list in new[] { "approvals", "restrictions" })
            {
                if (!root.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                var kind = list == "approvals" ? "approval" : "restriction";
                var i = 0;
                foreach (var item in items.EnumerateArray())
                {
                    var entry = new RawEntry(kind, $"{list}[{i}]", null);
                    byLocation[$"{list}/{i++}"] = entry;
                    entries.Add(entry);
                    foreach (var f in item.ValueKind == JsonValueKind.Object ? item.EnumerateObject() : default)
                    {
                        if (SetFields.Contains(f.Name) && f.Value.ValueKind == JsonValueKind.Array)
                        {
                            entry.Lists[f.Name] = [.. f.Value.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!.Trim()).Where(x => x.Length > 0)];
                        }
                        else if (f.Value.ValueKind == JsonValueKind.String)
                        {
                            entry.Values[f.Name] = f.Value.GetString()!.Trim();
                        }
                    }
                }
            }

            foreach (var (at, unknown) in problems)
            {
                if (at is [var top])
                {
                    errors.Add(new ImportError(listName, null, top, unknown
                        ? $"Unknown top-level field '{top}'; a list has schemaVersion, approvals and restrictions."
                        : $"'{top}' must be an array of entries."));
                }
                else if (at is [var list, var index, ..] && byLocation.TryGetValue($"{list}/{index}", out var entry))
                {
                    if (at.Length == 2)
                    {
                        errors.Add(new ImportError(listName, null, null, $"{entry.Where} must be an object."));
                        entry.Broken = true;
                    }
                    else
                    {
                        var field = at[2];
                        var allowed = entry.Kind == "approval" ? ApprovalFields : RestrictionFields;
                        Add(errors, listName, entry, field, unknown
                            ? $"has an unknown field '{field}'; {entry.Kind} entries have {string.Join(", ", allowed)}."
                            : $"field '{field}' must be {(SetFields.Contains(field) ? "an array of strings" : "a string")}.");
                        entry.ShapeErrors.Add(field);
                    }
                }
            }

            return entries;
        }
    }

    private static List<RawEntry> ReadCsv(byte[] content, string listName, List<ImportError> errors)
    {
        var text = Csv.DecodeUtf8(content, listName);
        var rows = Csv.Parse(text).ToList();
        if (rows.Count == 0)
        {
            throw new ImportException(new ImportError(listName, null, null, "The list is empty: the first row must name the columns."));
        }

        var header = rows[0].Fields.Select(h => h.Trim()).ToArray();
        var columns = new string?[header.Length];
        for (var c = 0; c < header.Length; c++)
        {
            if (!CsvColumns.TryGetValue(header[c], out var field))
            {
                errors.Add(new ImportError(listName, 1, header[c], $"Unknown column '{header[c]}'; the columns are {string.Join(", ", CsvColumns.Keys)}."));
            }
            else if (columns.Contains(field))
            {
                errors.Add(new ImportError(listName, 1, header[c], $"The column '{header[c]}' appears twice."));
            }
            else
            {
                columns[c] = field;
            }
        }

        foreach (var required in new[] { "kind", "key" })
        {
            if (!columns.Contains(required))
            {
                errors.Add(new ImportError(listName, 1, required, $"The column '{required}' is missing."));
            }
        }

        if (errors.Count > 0)
        {
            throw new ImportException(errors[0]);
        }

        var entries = new List<RawEntry>();
        foreach (var row in rows.Skip(1))
        {
            if (row.Fields.Length != header.Length)
            {
                errors.Add(new ImportError(listName, row.Number, null, $"The row has {row.Fields.Length} fields; the header has {header.Length}."));
                continue;
            }

            var kindText = row.Fields[Array.IndexOf(columns, "kind")].Trim();
            var kind = kindText.ToLowerInvariant() switch { "approval" => "approval", "restriction" => "restriction", _ => null };
            if (kind is null)
            {
                errors.Add(new ImportError(listName, row.Number, "kind", $"'{kindText}' is not a kind: write approval or restriction."));
                continue;
            }

            var allowed = kind == "approval" ? ApprovalFields : RestrictionFields;
            var entry = new RawEntry(kind, $"row {row.Number}", row.Number);
            entries.Add(entry);
            for (var c = 0; c < columns.Length; c++)
            {
                var field = columns[c]!;
                var value = row.Fields[c].Trim();
                if (field == "kind" || value.Length == 0)
                {
                    continue;
                }

                if (!allowed.Contains(field, StringComparer.Ordinal))
                {
                    Add(errors, listName, entry, field, $"fills '{header[c]}', which {kind} rows do not use; leave it empty.");
                }
                else if (SetFields.Contains(field))
                {
                    entry.Lists[field] = [.. value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                }
                else
                {
                    entry.Values[field] = value;
                }
            }
        }

        return entries;
    }

    private static void Add(List<ImportError> errors, string listName, RawEntry entry, string? field, string message)
    {
        if (field is not null && entry.ShapeErrors.Contains(field))
        {
            return;
        }

        errors.Add(new ImportError(listName, entry.Row, field, $"{entry.Label}{(entry.Row is null && entry.Label.Contains('\'') ? $" ({entry.Where})" : "")} {message}"));
    }

    private static string? Text(RawEntry entry, string field) =>
        entry.Values.TryGetValue(field, out var v) && v.Length > 0 ? v : null;

    private static ListReferenceData.ModelRef? ResolveModel(RawEntry entry, ListReferenceData refs, string listName, List<ImportError> errors, bool required)
    {
        var id = Text(entry, "hostModelId");
        if (id is null)
        {
            if (required)
            {
                Add(errors, listName, entry, "hostModelId", "has no hostModelId: name the model as its host does.");
            }

            return null;
        }

        var hosting = Text(entry, "hosting");
        var region = Text(entry, "region");
        var key = new ModelKey(id, hosting, region);
        var matches = refs.Models.Where(m => Model.Matches(m.HostModelId, m.Hosting, m.Region, key)).ToList();
        switch (matches.Count)
        {
            case 1:
                return matches[0];
            case 0:
                Add(errors, listName, entry, "hostModelId", $"names model '{id}'{(hosting is null ? "" : $" on {hosting}")}{(region is null ? "" : $" in {region}")}, which is not in the inventory; add the model first.");
                return null;
            default:
                Add(errors, listName, entry, "hostModelId", $"names model '{id}', which the inventory has on several hostings ({string.Join("; ", matches.Select(m => $"{m.Hosting} {m.Region}".Trim()))}); add hosting and region.");
                return null;
        }
    }

    private static ImpactLevel Level(RawEntry entry, string field, string listName, List<ImportError> errors, bool required)
    {
        var text = Text(entry, field);
        if (text is null)
        {
            if (required)
            {
                Add(errors, listName, entry, field, $"has no {field}: write None, IL2, IL4, IL5 or IL6.");
            }

            return ImpactLevel.None;
        }

        var name = Enum.GetNames<ImpactLevel>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            Add(errors, listName, entry, field, $"has {field} '{text}', which is not an impact level: write None, IL2, IL4, IL5 or IL6 (IL1 and IL3 are retired).");
            return ImpactLevel.None;
        }

        return Enum.Parse<ImpactLevel>(name);
    }

    private static T Flags<T>(RawEntry entry, string field, string listName, List<ImportError> errors) where T : struct, Enum
    {
        long bits = 0;
        if (!entry.Lists.TryGetValue(field, out var items))
        {
            return default;
        }

        var names = Enum.GetValues<T>().Where(v => Convert.ToInt64(v) is var x && x != 0 && (x & (x - 1)) == 0).Select(v => v.ToString()).ToArray();
        foreach (var item in items)
        {
            var name = names.FirstOrDefault(n => string.Equals(n, item, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                Add(errors, listName, entry, field, $"has '{item}' in {field}, which is not one of {string.Join(", ", names)}.");
            }
            else
            {
                bits |= Convert.ToInt64(Enum.Parse<T>(name));
            }
        }

        return (T)Enum.ToObject(typeof(T), bits);
    }

    private static List<int> Customers(RawEntry entry, ListReferenceData refs, string listName, List<ImportError> errors)
    {
        var ids = new List<int>();
        foreach (var code in entry.Lists.GetValueOrDefault("customers") ?? [])
        {
            if (refs.CustomersByCode.TryGetValue(code, out var id))
            {
                ids.Add(id);
            }
            else
            {
                Add(errors, listName, entry, "customers", $"names customer '{code}', which is not in the inventory (customers are given by their code, e.g. acme).");
            }
        }

        return [.. ids.Distinct().Order()];
    }

    /// <summary>A hosting scope: each named hosting must be one the inventory's models have (a misspelling would match nothing).</summary>
    private static List<string> Hostings(RawEntry entry, ListReferenceData refs, string listName, List<ImportError> errors)
    {
        var hostings = new List<string>();
        foreach (var name in entry.Lists.GetValueOrDefault("hostings") ?? [])
        {
            if (refs.Models.FirstOrDefault(m => string.Equals(m.Hosting, name, StringComparison.OrdinalIgnoreCase)) is { } known)
            {
                hostings.Add(known.Hosting);
            }
            else
            {
                Add(errors, listName, entry, "hostings", $"names hosting '{name}', which no model in the inventory has (e.g. {string.Join(", ", refs.Models.Select(m => m.Hosting).Distinct().Order().Take(4))}).");
            }
        }

        return [.. hostings.Distinct().Order(StringComparer.Ordinal)];
    }

    private static DateTime? Date(RawEntry entry, string field, string listName, List<ImportError> errors, bool required)
    {
        var text = Text(entry, field);
        if (text is null)
        {
            if (required)
            {
                Add(errors, listName, entry, field, $"has no {field} (YYYY-MM-DD).");
            }

            return null;
        }

        if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            Add(errors, listName, entry, field, $"has {field} '{text}', which is not a date: write YYYY-MM-DD.");
            return null;
        }

        return DateTime.SpecifyKind(date, DateTimeKind.Utc);
    }
}
