using System.Globalization;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Inventory.Import;

public enum ImportKind
{
    Models,
    Workloads,
    Bindings,
}

/// <summary>
/// Imports models, workloads or bindings from CSV (columns in docs/import-formats.md). The whole file is
/// validated first; any error changes nothing. A valid file is applied in one transaction, audited.
/// Models and workloads are matched by their natural key and updated; bindings are added.
/// </summary>
public sealed class CsvImporter(IDbContextFactory<ComplianceDb> factory, IInventoryChanged changed, InventoryRules? rules = null)
{
    private readonly InventoryRules _rules = rules ?? InventoryRules.Default;

    public const long MaxBytes = 10 * 1024 * 1024;

    public static readonly string[] AcceptedContentTypes = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"];

    public static readonly IReadOnlyDictionary<ImportKind, string[]> Columns = new Dictionary<ImportKind, string[]>
    {
        [ImportKind.Models] = ["provider", "host_model_id", "display_name", "version", "hosting", "region", "deprecated_on", "retired_on"],
        [ImportKind.Workloads] = ["customer_code", "name", "impact_level", "data_categories", "owner", "environment"],
        [ImportKind.Bindings] = ["customer_code", "workload", "host_model_id", "hosting", "region", "usage", "purpose", "from", "to"],
    };

    /// <summary>Each text column's limit: the model's length for the property it fills (InventoryRules reads them from the EF model).</summary>
    public static readonly IReadOnlyDictionary<string, int> ColumnLimits = new Dictionary<string, int>
    {
        ["provider"] = InventoryRules.MaxLength<Model>(nameof(Model.Provider)),
        ["host_model_id"] = InventoryRules.MaxLength<Model>(nameof(Model.HostModelId)),
        ["display_name"] = InventoryRules.MaxLength<Model>(nameof(Model.DisplayName)),
        ["version"] = InventoryRules.MaxLength<Model>(nameof(Model.Version)),
        ["hosting"] = InventoryRules.MaxLength<Model>(nameof(Model.Hosting)),
        ["region"] = InventoryRules.MaxLength<Model>(nameof(Model.Region)),
        ["customer_code"] = InventoryRules.MaxLength<Customer>(nameof(Customer.Code)),
        ["name"] = InventoryRules.MaxLength<Workload>(nameof(Workload.Name)),
        ["workload"] = InventoryRules.MaxLength<Workload>(nameof(Workload.Name)),
        ["owner"] = InventoryRules.MaxLength<Workload>(nameof(Workload.Owner)),
        ["environment"] = InventoryRules.MaxLength<Workload>(nameof(Workload.Environment)),
        ["purpose"] = InventoryRules.MaxLength<Binding>(nameof(Binding.Purpose)),
    };

    private static readonly HashSet<string> Optional = ["version", "region", "hosting", "usage", "deprecated_on", "retired_on", "owner", "environment", "data_categories", "purpose", "from", "to"];

    public async Task<ImportReport> ImportAsync(ImportKind kind, string fileName, string? contentType, byte[] content, string actor, CancellationToken ct = default)
    {
        var errors = new List<ImportError>();
        ImportError Error(int? row, string? field, string message) => new(fileName, row, field, message);

        if (content.LongLength > MaxBytes)
        {
            return Fail(Error(null, null, $"The file is {content.LongLength / 1024 / 1024.0:0.0} MB; the limit is {MaxBytes / 1024 / 1024} MB. Split it into smaller files."));
        }

        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not null && mediaType.Length > 0 && !AcceptedContentTypes.Contains(mediaType))
        {
            return Fail(Error(null, null, $"The file's content type is '{mediaType}', not CSV. Upload a .csv file (text/csv)."));
        }

        List<Csv.Row> rows;
        try
        {
            rows = Csv.Parse(Csv.DecodeUtf8(content, fileName)).ToList();
        }
        catch (ImportException e)
        {
            return Fail(e.Error with { File = fileName });
        }

        if (rows.Count == 0)
        {
            return Fail(Error(null, null, $"The file is empty. The first row must name the columns: {string.Join(",", Columns[kind])}."));
        }

        var header = rows[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var index = new Dictionary<string, int>();
        for (var i = 0; i < header.Length; i++)
        {
            if (!Columns[kind].Contains(header[i]))
            {
                errors.Add(Error(1, header[i], $"Unknown column. The columns for {kind.ToString().ToLowerInvariant()} are: {string.Join(", ", Columns[kind])}."));
            }
            else if (!index.TryAdd(header[i], i))
            {
                errors.Add(Error(1, header[i], "This column appears twice."));
            }
        }

        foreach (var required in Columns[kind].Where(c => !Optional.Contains(c) && !index.ContainsKey(c)))
        {
            errors.Add(Error(1, required, "This required column is missing."));
        }

        if (errors.Count > 0)
        {
            return Fail([.. errors]);
        }

        var data = rows.Skip(1).Select(r => new Fields(r, index, fileName, errors)).ToList();
        foreach (var r in data.Where(r => r.Row.Fields.Length != header.Length))
        {
            errors.Add(Error(r.Row.Number, null, $"The row has {r.Row.Fields.Length} fields; the header has {header.Length}."));
        }

        if (errors.Count > 0)
        {
            return Fail([.. errors]);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var (added, updated) = kind switch
        {
            ImportKind.Models => await StageModelsAsync(db, data, _rules, ct),
            ImportKind.Workloads => await StageWorkloadsAsync(db, data, ct),
            _ => await StageBindingsAsync(db, data, _rules, ct),
        };
        foreach (var r in data)
        {
            r.CheckLengths();
        }

        if (errors.Count > 0)
        {
            return Fail([.. errors]);
        }

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.As(actor, $"CSV import of {kind.ToString().ToLowerInvariant()} from {fileName}").SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        await SqlitePragmas.AnalyzeAsync(db.Database, CancellationToken.None);
        if (kind == ImportKind.Models) changed.ModelsChanged(); else changed.BindingsChanged();
        return new ImportReport(fileName, kind.ToString(), added, updated, []);

        ImportReport Fail(params ImportError[] list) => new(fileName, kind.ToString(), 0, 0, list);
    }

    private static async Task<(int, int)> StageModelsAsync(ComplianceDb db, List<Fields> rows, InventoryRules rules, CancellationToken ct)
    {
        var existing = await db.Models.ToDictionaryAsync(m => (m.HostModelId, m.Hosting, m.Region), ct);
        var seen = new Dictionary<(string, string, string), int>();
        int added = 0, updated = 0;
        foreach (var r in rows)
        {
            var provider = r.Required("provider");
            var id = r.Required("host_model_id");
            var name = r.Required("display_name");
            var hosting = r.Required("hosting");
            var region = r.Text("region");
            var deprecated = r.Date("deprecated_on");
            var retired = r.Date("retired_on");
            if (deprecated is { } d && retired is { } x && x < d)
            {
                r.Fail("retired_on", "A model cannot retire before it is deprecated.");
            }

            r.Fail(rules.Date("deprecated_on", deprecated));
            r.Fail(rules.Date("retired_on", retired));

            if (id is null || hosting is null || provider is null || name is null)
            {
                continue;
            }

            if (seen.TryGetValue((id, hosting, region), out var first))
            {
                r.Fail("host_model_id", $"Duplicate key: '{id}' on {hosting} {region} is already on row {first}.");
                continue;
            }

            seen[(id, hosting, region)] = r.Row.Number;
            if (!existing.TryGetValue((id, hosting, region), out var model))
            {
                model = new Model { Provider = provider, HostModelId = id, DisplayName = name, Hosting = hosting, Region = region };
                db.Models.Add(model);
                added++;
            }
            else
            {
                updated++;
            }

            model.Provider = provider;
            model.DisplayName = name;
            model.Version = r.Text("version");
            model.DeprecatedOn = deprecated;
            model.RetiredOn = retired;
        }

        return (added, updated);
    }

    private static async Task<(int, int)> StageWorkloadsAsync(ComplianceDb db, List<Fields> rows, CancellationToken ct)
    {
        var customers = await db.Customers.ToDictionaryAsync(c => c.Code, c => c.Id, StringComparer.OrdinalIgnoreCase, ct);
        var existing = await db.Workloads.ToDictionaryAsync(w => (w.CustomerId, w.Name), ct);
        var seen = new Dictionary<(int, string), int>();
        int added = 0, updated = 0;
        foreach (var r in rows)
        {
            var code = r.Required("customer_code");
            var name = r.Required("name");
            var level = r.Enum<ImpactLevel>("impact_level", required: true, "None, IL2, IL4, IL5 or IL6 (IL1 and IL3 are retired)");
            var categories = r.Categories("data_categories");
            int customerId = 0;
            if (code is not null && !customers.TryGetValue(code, out customerId))
            {
                r.Fail("customer_code", $"There is no customer with code '{code}'. Add the customer first.");
                continue;
            }

            if (name is null || level is null || categories is null || code is null)
            {
                continue;
            }

            if (seen.TryGetValue((customerId, name), out var first))
            {
                r.Fail("name", $"Duplicate key: workload '{name}' of '{code}' is already on row {first}.");
                continue;
            }

            seen[(customerId, name)] = r.Row.Number;
            if (!existing.TryGetValue((customerId, name), out var workload))
            {
                workload = new Workload { CustomerId = customerId, Name = name };
                db.Workloads.Add(workload);
                added++;
            }
            else
            {
                updated++;
            }

            workload.ImpactLevel = level.Value;
            workload.DataCategories = categories.Value;
            workload.Owner = r.Text("owner");
            workload.Environment = r.Text("environment") is { Length: > 0 } env ? env : workload.Environment;
        }

        return (added, updated);
    }

    private static async Task<(int, int)> StageBindingsAsync(ComplianceDb db, List<Fields> rows, InventoryRules rules, CancellationToken ct)
    {
        var workloads = await db.Workloads.Select(w => new { w.Id, w.Name, w.Customer!.Code })
            .ToDictionaryAsync(w => (w.Code.ToLowerInvariant(), w.Name), w => w.Id, ct);
        var models = await db.Models.Select(m => new { m.Id, m.HostModelId, m.Hosting, m.Region }).ToListAsync(ct);
        var active = (await db.Bindings.Where(b => b.To == null).Select(b => new { b.ModelId, b.WorkloadId, b.Usage }).ToListAsync(ct))
            .Select(b => (b.ModelId, b.WorkloadId, b.Usage)).ToHashSet();
        var seen = new Dictionary<(int, int, Usage), int>();
        var added = 0;
        foreach (var r in rows)
        {
            var code = r.Required("customer_code");
            var workloadName = r.Required("workload");
            var hostModelId = r.Required("host_model_id");
            var hosting = r.Text("hosting");
            var region = r.Text("region");
            var usage = r.Enum<Usage>("usage", required: false, "Inference, Agent or CodingAssistant") ?? Usage.Inference;
            var from = r.Date("from") ?? DateTime.UtcNow.Date;
            var to = r.Date("to");
            r.Fail(rules.Date("from", from));
            r.Fail(rules.Date("to", to));
            r.Fail(InventoryRules.AfterStart("to", from, to));

            if (code is null || workloadName is null || hostModelId is null)
            {
                continue;
            }

            if (!workloads.TryGetValue((code.ToLowerInvariant(), workloadName), out var workloadId))
            {
                r.Fail("workload", $"Customer '{code}' has no workload named '{workloadName}'. Import the workload first.");
                continue;
            }

            var matches = models.Where(m => m.HostModelId == hostModelId && (hosting.Length == 0 || m.Hosting == hosting)
                && (region.Length == 0 || m.Region == region)).ToList();
            if (matches.Count == 0)
            {
                r.Fail("host_model_id", $"Unknown model id '{hostModelId}'{(hosting.Length > 0 ? $" on {hosting}" : "")}. Add the model to the inventory first.");
                continue;
            }

            if (matches.Count > 1)
            {
                r.Fail("hosting", $"'{hostModelId}' is offered on several hostings ({string.Join(", ", matches.Select(m => $"{m.Hosting} {m.Region}".Trim()))}); fill in hosting and region.");
                continue;
            }

            var key = (matches[0].Id, workloadId, usage);
            if (seen.TryGetValue(key, out var first))
            {
                r.Fail("host_model_id", $"Duplicate key: this model already serves this workload for {usage} on row {first}.");
                continue;
            }

            seen[key] = r.Row.Number;
            if (to is null && active.Contains(key))
            {
                r.Fail("host_model_id", $"This model already serves '{workloadName}' for {usage}; end that binding first.");
                continue;
            }

            db.Bindings.Add(new Binding { ModelId = matches[0].Id, WorkloadId = workloadId, Usage = usage, Purpose = r.Text("purpose"), From = from, To = to });
            added++;
        }

        return (added, 0);
    }

    /// <summary>One data row's fields by column name; parse failures are recorded against the row and field.</summary>
    private sealed class Fields(Csv.Row row, Dictionary<string, int> index, string file, List<ImportError> errors)
    {
        public Csv.Row Row => row;

        public void Fail(string field, string message) => errors.Add(new ImportError(file, row.Number, field, message));

        public void Fail(FieldError? error)
        {
            if (error is not null)
            {
                Fail(error.Field, error.Message);
            }
        }

        /// <summary>Every text column against the model's limit for it, so nothing is cut or refused by the database later.</summary>
        public void CheckLengths()
        {
            foreach (var (column, i) in index)
            {
                if (ColumnLimits.TryGetValue(column, out var max) && i < row.Fields.Length && Csv.Restore(row.Fields[i]).Trim() is { } value && value.Length > max)
                {
                    Fail(column, $"'{column}' is {value.Length:N0} characters long; the limit is {max:N0}.");
                }
            }
        }

        public string Text(string column) =>
            index.TryGetValue(column, out var i) && i < row.Fields.Length ? Csv.Restore(row.Fields[i]).Trim() : "";

        public string? Required(string column)
        {
            var value = Text(column);
            if (value.Length == 0)
            {
                Fail(column, "This field is required.");
                return null;
            }

            return value;
        }

        public DateTime? Date(string column)
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                return null;
            }

            if (DateTime.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
            {
                return DateTime.SpecifyKind(value, DateTimeKind.Utc);
            }

            Fail(column, $"'{text}' is not a date; write it as YYYY-MM-DD.");
            return null;
        }

        public T? Enum<T>(string column, bool required, string allowed) where T : struct, System.Enum
        {
            var text = Text(column);
            if (text.Length == 0)
            {
                if (required) Fail(column, $"This field is required: {allowed}.");
                return null;
            }

            if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(text, out _))
            {
                return value;
            }

            Fail(column, $"'{text}' is not one of {allowed}.");
            return null;
        }

        public DataCategories? Categories(string column)
        {
            var set = DataCategories.None;
            foreach (var part in Text(column).Split([';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var name = part.Replace(" ", "").Replace("-", "");
                if (name.Equals("ITAR", StringComparison.OrdinalIgnoreCase) || name.Equals("EAR", StringComparison.OrdinalIgnoreCase)) name = nameof(DataCategories.ExportControlled);
                if (!System.Enum.TryParse<DataCategories>(name, ignoreCase: true, out var c) || c == DataCategories.None || int.TryParse(name, out _))
                {
                    Fail(column, $"'{part}' is not a data category: use CUI, ExportControlled, PHI, PII, CJI or FTI, separated by ';'.");
                    return null;
                }

                set |= c;
            }

            return set;
        }
    }
}
