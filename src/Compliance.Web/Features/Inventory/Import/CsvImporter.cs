using System.Globalization;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;

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
public sealed partial class CsvImporter(IDbContextFactory<ComplianceDb> factory, IInventoryChanged changed, InventoryRules? rules = null)
{
    private readonly InventoryRules _rules = rules ?? InventoryRules.Default;

    public const long MaxBytes = 10 * 1024 * 1024;

    public static readonly string[] AcceptedContentTypes = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"];

    public static readonly IReadOnlyDictionary<ImportKind, string[]> Columns = new Dictionary<ImportKind, string[]>
    {
        [ImportKind.Models] = ["provider", "host_model_id", "display_name", "version", "hosting", "region", "deprecated_on", "retired_on"],
        [ImportKind.Workloads] = ["customer_code", "name", "impact_level", "data_categories", "owner", "environment", "key", "owner_email"],
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
        ["key"] = InventoryRules.MaxLength<Workload>(nameof(Workload.Key)),
        ["owner_email"] = InventoryRules.MaxLength<Workload>(nameof(Workload.OwnerEmail)),
        ["purpose"] = InventoryRules.MaxLength<Binding>(nameof(Binding.Purpose)),
    };

    private static readonly HashSet<string> Optional = ["version", "region", "hosting", "usage", "deprecated_on", "retired_on", "owner", "environment", "data_categories", "purpose", "from", "to", "key", "owner_email"];

    /// <summary>Imports a file already in memory (tests, small callers): the size limit, then <see cref="ImportAsync(ImportKind, string, string?, Stream, string, IProgress{int}?, CancellationToken)"/>.</summary>
    public Task<ImportReport> ImportAsync(ImportKind kind, string fileName, string? contentType, byte[] content, string actor, CancellationToken ct = default)
    {
        if (content.LongLength > MaxBytes)
        {
            return Task.FromResult(new ImportReport(fileName, kind.ToString(), 0, 0, [new ImportError(fileName, null, null,
                $"The file is {content.LongLength / 1024 / 1024.0:0.0} MB; the limit is {MaxBytes / 1024 / 1024} MB. Split it into smaller files.")]));
        }

        return ImportAsync(kind, fileName, contentType, new MemoryStream(content, writable: false), actor, null, ct);
    }

    /// <summary>
    /// Imports from a stream, row by row. Bindings (the large kind) are checked against the database and written in
    /// batches inside one transaction, so memory stays flat whatever the file's length; any error rolls everything back.
    /// <paramref name="progress"/> hears the number of data rows read so far. The caller bounds the stream's size.
    /// </summary>
    public async Task<ImportReport> ImportAsync(ImportKind kind, string fileName, string? contentType, Stream content, string actor,
        IProgress<int>? progress, CancellationToken ct = default)
    {
        var errors = new ImportErrors(fileName);
        ImportError Error(int? row, string? field, string message) => new(fileName, row, field, message);

        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not null && mediaType.Length > 0 && !AcceptedContentTypes.Contains(mediaType))
        {
            return Fail(Error(null, null, $"The file's content type is '{mediaType}', not CSV. Upload a .csv file (text/csv)."));
        }

        try
        {
            await using var rows = CsvStream.ReadAsync(content, fileName, ct).GetAsyncEnumerator(ct);
            if (!await rows.MoveNextAsync())
            {
                return Fail(Error(null, null, $"The file is empty. The first row must name the columns: {string.Join(",", Columns[kind])}."));
            }

            var header = rows.Current.Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
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
                return Fail([.. errors.All]);
            }

            if (kind == ImportKind.Bindings)
            {
                return await ImportBindingsAsync(rows, index, header.Length, fileName, actor, errors, progress, ct);
            }

            // Models and workloads are as many as an organisation has (hundreds, thousands): staged whole, then saved.
            var data = new List<Fields>();
            while (await rows.MoveNextAsync())
            {
                var r = new Fields(rows.Current, index, fileName, errors);
                r.CheckShape(header.Length);
                data.Add(r);
                if (data.Count % BatchSize == 0) progress?.Report(data.Count);
            }

            if (errors.Count > 0)
            {
                return Fail([.. errors.All]);
            }

            await using var db = await factory.CreateDbContextAsync(ct);
            var (added, updated) = kind == ImportKind.Models ? await StageModelsAsync(db, data, _rules, ct) : await StageWorkloadsAsync(db, data, ct);
            foreach (var r in data)
            {
                r.CheckLengths();
            }

            if (errors.Count > 0)
            {
                return Fail([.. errors.All]);
            }

            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await db.As(actor, $"CSV import of {kind.ToString().ToLowerInvariant()} from {fileName}").SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }

            await SqlitePragmas.AnalyzeAsync(db.Database, CancellationToken.None);
            if (kind == ImportKind.Models) changed.ModelsChanged(); else changed.BindingsChanged();
            return new ImportReport(fileName, kind.ToString(), added, updated, []);
        }
        catch (ImportException e)
        {
            return Fail(e.Error with { File = fileName });
        }

        ImportReport Fail(params ImportError[] list) => new(fileName, kind.ToString(), 0, 0, list);
    }

    private static async Task<(int, int)> StageModelsAsync(ComplianceDb db, List<Fields> rows, InventoryRules rules, CancellationToken ct)
    {
        // Keyed by ModelKey, as the model rule compares (ADR 014): other case names the same model, in the file and the inventory.
        var existing = new Dictionary<ModelKey, Model>();
        foreach (var m in await db.Models.ToListAsync(ct))
        {
            existing.TryAdd(new ModelKey(m.HostModelId, m.Hosting, m.Region), m); // rows from before the rule may differ only in case
        }

        var seen = new Dictionary<ModelKey, int>();
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

            var key = new ModelKey(id, hosting, region);
            if (seen.TryGetValue(key, out var first))
            {
                r.Fail("host_model_id", $"Duplicate key: '{id}' on {hosting} {region} is already on row {first}.");
                continue;
            }

            seen[key] = r.Row.Number;
            if (!existing.TryGetValue(key, out var model))
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
        var keyHolders = existing.Values.Where(w => w.Key != null).ToDictionary(w => w.Key!, w => (w.CustomerId, w.Name));
        var keysSeen = new Dictionary<string, int>();
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
            // The workload's own key: optional column; present and empty clears it. A key names one workload.
            var key = r.Has("key") ? r.Text("key") is { Length: > 0 } k ? k : null : null;
            if (key is not null && keysSeen.TryGetValue(key, out var keyRow))
            {
                r.Fail("key", $"Duplicate key: '{key}' is already on row {keyRow}.");
                continue;
            }

            if (key is not null && keyHolders.TryGetValue(key, out var holder) && holder != (customerId, name))
            {
                r.Fail("key", $"The key '{key}' already names workload '{holder.Name}'; a key names one workload.");
                continue;
            }

            if (key is not null)
            {
                keysSeen[key] = r.Row.Number;
            }

            // Optional column, like the key: present and empty clears it; an address must be one mailbox.
            var ownerEmail = r.Has("owner_email") ? r.Text("owner_email") is { Length: > 0 } e ? e : null : null;
            if (InventoryRules.OwnerEmail("owner_email", ownerEmail) is { } emailError)
            {
                r.Fail(emailError);
                continue;
            }

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
            if (r.Has("key"))
            {
                workload.Key = key;
            }

            if (r.Has("owner_email"))
            {
                workload.OwnerEmail = ownerEmail;
            }
        }

        return (added, updated);
    }

    /// <summary>One data row's fields by column name; parse failures are recorded against the row and field.</summary>
    private sealed class Fields(Csv.Row row, Dictionary<string, int> index, string file, ImportErrors errors)
    {
        public Csv.Row Row => row;

        /// <summary>False (and an error) when the row has another number of fields than the header: its fields cannot be trusted.</summary>
        public bool CheckShape(int headerLength)
        {
            if (row.Fields.Length == headerLength)
            {
                return true;
            }

            errors.Add(new ImportError(file, row.Number, null, $"The row has {row.Fields.Length} fields; the header has {headerLength}."));
            return false;
        }

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

        /// <summary>Whether the file has this (optional) column at all.</summary>
        public bool Has(string column) => index.ContainsKey(column);

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
