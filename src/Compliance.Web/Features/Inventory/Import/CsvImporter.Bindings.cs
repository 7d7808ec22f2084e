using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Inventory.Import;

/// <summary>
/// Bindings, streamed: rows are read, checked and written a batch at a time inside one transaction. A batch looks up
/// only its own workloads and the active bindings of those workloads, so nothing scales with the inventory or the file;
/// earlier batches are already written in the transaction, so a repeat across batches is caught by the same query.
/// After the first error nothing more is written, the rest of the file is still checked, and the transaction is rolled
/// back: all or nothing.
/// </summary>
public sealed partial class CsvImporter
{
    public const int BatchSize = 2000;

    private sealed record KnownModel(int Id, string HostModelId, string Hosting, string Region);

    private async Task<ImportReport> ImportBindingsAsync(IAsyncEnumerator<Csv.Row> rows, Dictionary<string, int> index, int headerLength,
        string fileName, string actor, ImportErrors errors, IProgress<int>? progress, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.As(actor, $"CSV import of bindings from {fileName}");
        // Models are few (hundreds): one lookup by host model id for the whole file, matched by the model rule (ADR 014).
        var models = (await db.Models.AsNoTracking().Select(m => new KnownModel(m.Id, m.HostModelId, m.Hosting, m.Region)).ToListAsync(ct))
            .ToLookup(m => m.HostModelId, StringComparer.OrdinalIgnoreCase);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var batch = new List<Fields>(BatchSize);
        int added = 0, read = 0;
        while (await rows.MoveNextAsync())
        {
            batch.Add(new Fields(rows.Current, index, fileName, errors));
            read++;
            if (batch.Count == BatchSize)
            {
                added += await StageBatchAsync(db, batch, models, headerLength, errors, ct);
                batch.Clear();
                progress?.Report(read);
            }
        }

        added += await StageBatchAsync(db, batch, models, headerLength, errors, ct);
        progress?.Report(read);
        if (errors.Count > 0)
        {
            return new ImportReport(fileName, nameof(ImportKind.Bindings), 0, 0, errors.All); // disposing the transaction rolls it back
        }

        await tx.CommitAsync(ct);
        await SqlitePragmas.AnalyzeAsync(db.Database, CancellationToken.None);
        changed.BindingsChanged();
        return new ImportReport(fileName, nameof(ImportKind.Bindings), added, 0, []);
    }

    private async Task<int> StageBatchAsync(ComplianceDb db, List<Fields> batch, ILookup<string, KnownModel> models, int headerLength,
        ImportErrors errors, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var names = batch.Select(r => r.Text("workload")).Where(n => n.Length > 0).Distinct().ToList();
        var workloads = (await db.Workloads.AsNoTracking().Where(w => names.Contains(w.Name)).Select(w => new { w.Id, w.Name, w.Customer!.Code }).ToListAsync(ct))
            .ToDictionary(w => (w.Code.ToLowerInvariant(), w.Name), w => w.Id);
        var workloadIds = workloads.Values.ToList();
        var active = (await db.Bindings.AsNoTracking().Where(b => b.To == null && workloadIds.Contains(b.WorkloadId))
                .Select(b => new { b.ModelId, b.WorkloadId, b.Usage }).ToListAsync(ct))
            .Select(b => (b.ModelId, b.WorkloadId, b.Usage)).ToHashSet();
        var seen = new Dictionary<(int, int, Usage), int>();
        var staged = new List<Binding>(batch.Count);
        foreach (var r in batch)
        {
            if (!r.CheckShape(headerLength))
            {
                continue;
            }

            r.CheckLengths();
            if (Stage(r, workloads, models, active, seen) is { } binding)
            {
                staged.Add(binding);
            }
        }

        if (errors.Count > 0)
        {
            return 0;
        }

        db.Bindings.AddRange(staged);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return staged.Count;
    }

    private Binding? Stage(Fields r, Dictionary<(string, string), int> workloads, ILookup<string, KnownModel> models,
        HashSet<(int, int, Usage)> active, Dictionary<(int, int, Usage), int> seen)
    {
        var code = r.Required("customer_code");
        var workloadName = r.Required("workload");
        var hostModelId = r.Required("host_model_id");
        var hosting = r.Text("hosting");
        var region = r.Text("region");
        var usage = r.Enum<Usage>("usage", required: false, "Inference, Agent or CodingAssistant") ?? Usage.Inference;
        var from = r.Date("from") ?? DateTime.UtcNow.Date;
        var to = r.Date("to");
        r.Fail(_rules.Date("from", from));
        r.Fail(_rules.Date("to", to));
        r.Fail(InventoryRules.AfterStart("to", from, to));
        if (code is null || workloadName is null || hostModelId is null)
        {
            return null;
        }

        if (!workloads.TryGetValue((code.ToLowerInvariant(), workloadName), out var workloadId))
        {
            r.Fail("workload", $"Customer '{code}' has no workload named '{workloadName}'. Import the workload first.");
            return null;
        }

        var named = new ModelKey(hostModelId, hosting.Length == 0 ? null : hosting, region.Length == 0 ? null : region);
        var matches = models[hostModelId.Trim()].Where(m => Model.Matches(m.HostModelId, m.Hosting, m.Region, named)).ToList();
        if (matches.Count == 0)
        {
            r.Fail("host_model_id", $"Unknown model id '{hostModelId}'{(hosting.Length > 0 ? $" on {hosting}" : "")}. Add the model to the inventory first.");
            return null;
        }

        if (matches.Count > 1)
        {
            r.Fail("hosting", $"'{hostModelId}' is offered on several hostings ({string.Join(", ", matches.Select(m => $"{m.Hosting} {m.Region}".Trim()))}); fill in hosting and region.");
            return null;
        }

        var key = (matches[0].Id, workloadId, usage);
        if (seen.TryGetValue(key, out var first))
        {
            r.Fail("host_model_id", $"Duplicate key: this model already serves this workload for {usage} on row {first}.");
            return null;
        }

        seen[key] = r.Row.Number;
        if (to is null && active.Contains(key))
        {
            r.Fail("host_model_id", $"This model already serves '{workloadName}' for {usage} (an active binding, or an earlier row of this file); end that binding first.");
            return null;
        }

        return new Binding { ModelId = matches[0].Id, WorkloadId = workloadId, Usage = usage, Purpose = r.Text("purpose"), From = from, To = to };
    }
}
