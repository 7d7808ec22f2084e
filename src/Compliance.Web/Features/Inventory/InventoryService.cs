using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Inventory;

public sealed record BindingInput(int ModelId, int WorkloadId, Usage Usage, string? Purpose, DateTime? From);

/// <summary>
/// The inventory's write side, shared by the pages, the API and the importers: every change goes
/// through here, validated, attributed and audited. People and machine clients call the overloads taking a
/// <see cref="System.Security.Claims.ClaimsPrincipal"/> (InventoryService.Callers.cs), which check the role first; the
/// ones taking an actor name are for trusted in-process callers (importers, tests) and check nothing.
/// </summary>
public sealed partial class InventoryService(IDbContextFactory<ComplianceDb> factory, IInventoryChanged changed, TimeProvider clock,
    InventoryRules? rules = null)
{
    private readonly InventoryRules _rules = rules ?? InventoryRules.Default;

    internal async Task<Outcome<Binding>> CreateBindingAsync(string actor, BindingInput input, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var from = input.From ?? clock.GetUtcNow().UtcDateTime;
        var errors = await ValidateBindingAsync(db, input.ModelId, input.WorkloadId, input.Usage, from, ct);
        errors.AddRange(InventoryRules.BindingText(input.Purpose, null));
        if (_rules.Date("from", input.From) is { } wrongDate)
        {
            errors.Add(wrongDate);
        }

        if (errors.Count > 0)
        {
            return Outcome<Binding>.Invalid([.. errors]);
        }

        var binding = new Binding { ModelId = input.ModelId, WorkloadId = input.WorkloadId, Usage = input.Usage, Purpose = input.Purpose?.Trim() ?? "", From = from };
        db.As(actor).Bindings.Add(binding);
        await db.SaveChangesAsync(ct);
        changed.BindingsChanged();
        return Outcome<Binding>.Ok(binding);
    }

    /// <summary>Ends a binding: the model no longer serves the workload from <paramref name="at"/>.</summary>
    internal async Task<Outcome<Binding>> EndBindingAsync(string actor, int bindingId, DateTime? at, string? reason, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var binding = await db.Bindings.FindAsync([bindingId], ct);
        if (binding is null)
        {
            return Outcome<Binding>.Missing($"There is no binding {bindingId}.");
        }

        var end = at ?? clock.GetUtcNow().UtcDateTime;
        if (binding.To is not null && binding.To <= end)
        {
            return Outcome<Binding>.Invalid(new FieldError("to", $"Binding {bindingId} already ended on {binding.To:yyyy-MM-dd HH:mm} UTC."));
        }

        var wrong = new[] { _rules.Date("at", at), InventoryRules.AfterStart("at", binding.From, end) }.OfType<FieldError>()
            .Concat(InventoryRules.BindingText(null, reason)).ToArray();
        if (wrong.Length > 0)
        {
            return Outcome<Binding>.Invalid(wrong);
        }

        binding.To = end;
        await db.As(actor, reason).SaveChangesAsync(ct);
        changed.BindingsChanged();
        return Outcome<Binding>.Ok(binding);
    }

    /// <summary>Moves a workload from one model to another: ends the binding and starts a new one, in one transaction.</summary>
    internal Task<Outcome<Binding>> MoveBindingAsync(string actor, int bindingId, int newModelId, DateTime? at, string? reason, CancellationToken ct = default) =>
        MoveBindingAsync(actor, bindingId, newModelId, at, reason, alsoInTransaction: null, ct);

    /// <summary>
    /// The same move, with <paramref name="alsoInTransaction"/> run on the same context after the new binding is saved and
    /// before the commit (a transition plan marks itself done there); if it throws, nothing of the move is kept.
    /// </summary>
    internal async Task<Outcome<Binding>> MoveBindingAsync(string actor, int bindingId, int newModelId, DateTime? at, string? reason,
        Func<ComplianceDb, Binding, CancellationToken, Task>? alsoInTransaction, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var outcome = await MoveBindingWithinAsync(db, actor, bindingId, newModelId, at, reason, ct);
        if (!outcome.Succeeded)
        {
            return outcome;
        }

        if (alsoInTransaction is not null)
        {
            await alsoInTransaction(db, outcome.Value!, ct);
        }

        await tx.CommitAsync(ct);
        changed.BindingsChanged();
        return outcome;
    }

    /// <summary>
    /// The move, validated and saved on <paramref name="db"/> inside the caller's transaction (several moves that stand or
    /// fall together); the caller commits and then calls <see cref="BindingsMoved"/>.
    /// </summary>
    internal async Task<Outcome<Binding>> MoveBindingWithinAsync(ComplianceDb db, string actor, int bindingId, int newModelId, DateTime? at, string? reason,
        CancellationToken ct = default)
    {
        var old = await db.Bindings.FindAsync([bindingId], ct);
        if (old is null)
        {
            return Outcome<Binding>.Missing($"There is no binding {bindingId}.");
        }

        var when = at ?? clock.GetUtcNow().UtcDateTime;
        if (old.To is not null && old.To <= when)
        {
            return Outcome<Binding>.Invalid(new FieldError("bindingId", $"Binding {bindingId} already ended; create a new binding instead."));
        }

        if (newModelId == old.ModelId)
        {
            return Outcome<Binding>.Invalid(new FieldError("modelId", "The binding already uses this model."));
        }

        // A move on or before the start would leave a binding that ends before it begins.
        var wrong = new[] { _rules.Date("at", at), InventoryRules.AfterStart("at", old.From, when) }.OfType<FieldError>()
            .Concat(InventoryRules.BindingText(null, reason)).ToArray();
        if (wrong.Length > 0)
        {
            return Outcome<Binding>.Invalid(wrong);
        }

        var errors = await ValidateBindingAsync(db, newModelId, old.WorkloadId, old.Usage, when, ct);
        if (errors.Count > 0)
        {
            return Outcome<Binding>.Invalid([.. errors]);
        }

        old.To = when;
        var moved = new Binding { ModelId = newModelId, WorkloadId = old.WorkloadId, Usage = old.Usage, Purpose = old.Purpose, From = when };
        db.As(actor, reason ?? $"Moved from binding {bindingId}").Bindings.Add(moved);
        await db.SaveChangesAsync(ct);
        return Outcome<Binding>.Ok(moved);
    }

    /// <summary>Tells the rest of the app (a check soon) that bindings moved, after a caller committed its moves.</summary>
    internal void BindingsMoved() => changed.BindingsChanged();

    private static async Task<List<FieldError>> ValidateBindingAsync(ComplianceDb db, int modelId, int workloadId, Usage usage, DateTime from, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (!Enum.IsDefined(usage))
        {
            errors.Add(new FieldError("usage", $"'{usage}' is not a usage: use Inference, Agent or CodingAssistant."));
        }

        if (!await db.Models.AnyAsync(m => m.Id == modelId, ct))
        {
            errors.Add(new FieldError("modelId", $"There is no model {modelId}."));
        }

        if (!await db.Workloads.AnyAsync(w => w.Id == workloadId, ct))
        {
            errors.Add(new FieldError("workloadId", $"There is no workload {workloadId}."));
        }

        if (errors.Count == 0 && await db.Bindings.AnyAsync(b => b.ModelId == modelId && b.WorkloadId == workloadId && b.Usage == usage
                && (b.To == null || b.To > from), ct))
        {
            errors.Add(new FieldError("modelId", "This model already serves this workload for this usage; end that binding first or choose another usage."));
        }

        return errors;
    }

    internal async Task<Outcome<Model>> SaveModelAsync(string actor, Model input, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        Require(errors, "provider", input.Provider, "the provider (Anthropic, Meta, Amazon…)");
        Require(errors, "hostModelId", input.HostModelId, "the model id as the host names it");
        Require(errors, "displayName", input.DisplayName, "a display name");
        Require(errors, "hosting", input.Hosting, "the hosting (AWS Bedrock, Azure OpenAI Government, Self-hosted…)");
        if (input.DeprecatedOn is { } d && input.RetiredOn is { } r && r < d)
        {
            errors.Add(new FieldError("retiredOn", "A model cannot retire before it is deprecated."));
        }

        errors.AddRange(InventoryRules.ModelText(input));
        errors.AddRange(new[] { _rules.Date("deprecatedOn", input.DeprecatedOn), _rules.Date("retiredOn", input.RetiredOn) }.OfType<FieldError>());

        await using var db = await factory.CreateDbContextAsync(ct);
        if (errors.Count == 0 && await db.Models.Where(Model.Matching(input.HostModelId, input.Hosting, input.Region ?? "")).AnyAsync(m => m.Id != input.Id, ct))
        {
            errors.Add(new FieldError("hostModelId", $"'{input.HostModelId}' on {input.Hosting} {input.Region} is already in the inventory."));
        }

        if (errors.Count > 0)
        {
            return Outcome<Model>.Invalid([.. errors]);
        }

        Model model;
        if (input.Id == 0)
        {
            model = new Model { Provider = "", HostModelId = "", DisplayName = "", Hosting = "" };
            db.Models.Add(model);
        }
        else if (await db.Models.FindAsync([input.Id], ct) is { } existing)
        {
            model = existing;
        }
        else
        {
            return Outcome<Model>.Missing($"There is no model {input.Id}.");
        }

        model.Provider = input.Provider.Trim();
        model.HostModelId = input.HostModelId.Trim();
        model.DisplayName = input.DisplayName.Trim();
        model.Version = input.Version?.Trim() ?? "";
        model.Hosting = input.Hosting.Trim();
        model.Region = input.Region?.Trim() ?? "";
        model.DeprecatedOn = input.DeprecatedOn;
        model.RetiredOn = input.RetiredOn;
        model.Description = input.Description;
        await db.As(actor).SaveChangesAsync(ct);
        changed.ModelsChanged();
        return Outcome<Model>.Ok(model);
    }

    internal async Task<Outcome<Workload>> SaveWorkloadAsync(string actor, Workload input, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        Require(errors, "name", input.Name, "a name");
        if (!Enum.IsDefined(input.ImpactLevel))
        {
            errors.Add(new FieldError("impactLevel", "Impact level must be None, IL2, IL4, IL5 or IL6 (IL1 and IL3 are retired)."));
        }

        errors.AddRange(InventoryRules.WorkloadText(input));
        if (InventoryRules.OwnerEmail("ownerEmail", input.OwnerEmail) is { } ownerEmailError)
        {
            errors.Add(ownerEmailError);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.Customers.AnyAsync(c => c.Id == input.CustomerId, ct))
        {
            errors.Add(new FieldError("customerId", "Choose the customer this workload serves."));
        }
        else if (errors.Count == 0 && await db.Workloads.AnyAsync(w => w.Id != input.Id && w.CustomerId == input.CustomerId && w.Name == input.Name.Trim(), ct))
        {
            errors.Add(new FieldError("name", $"This customer already has a workload named '{input.Name.Trim()}'."));
        }

        var key = string.IsNullOrWhiteSpace(input.Key) ? null : input.Key.Trim();
        if (key is not null && errors.Count == 0
            && await db.Workloads.Where(w => w.Id != input.Id && w.Key == key).Select(w => w.Name).FirstOrDefaultAsync(ct) is { } holder)
        {
            errors.Add(new FieldError("key", $"The key '{key}' already names workload '{holder}'; a key names one workload."));
        }

        if (errors.Count > 0)
        {
            return Outcome<Workload>.Invalid([.. errors]);
        }

        Workload workload;
        if (input.Id == 0)
        {
            workload = new Workload { Name = "" };
            db.Workloads.Add(workload);
        }
        else if (await db.Workloads.FindAsync([input.Id], ct) is { } existing)
        {
            workload = existing;
        }
        else
        {
            return Outcome<Workload>.Missing($"There is no workload {input.Id}.");
        }

        workload.CustomerId = input.CustomerId;
        workload.Name = input.Name.Trim();
        workload.Key = key;
        workload.Owner = input.Owner?.Trim() ?? "";
        workload.OwnerEmail = string.IsNullOrWhiteSpace(input.OwnerEmail) ? null : input.OwnerEmail.Trim();
        workload.Environment = string.IsNullOrWhiteSpace(input.Environment) ? "Production" : input.Environment.Trim();
        workload.ImpactLevel = input.ImpactLevel;
        workload.DataCategories = input.DataCategories;
        workload.Description = input.Description;
        await db.As(actor).SaveChangesAsync(ct);
        changed.BindingsChanged();
        return Outcome<Workload>.Ok(workload);
    }

    internal async Task<Outcome<Customer>> SaveCustomerAsync(string actor, Customer input, CancellationToken ct = default)
    {
        var errors = new List<FieldError>();
        Require(errors, "name", input.Name, "a name");
        Require(errors, "code", input.Code, "a short code (the customer claim value, e.g. acme)");
        if (!string.IsNullOrWhiteSpace(input.Code) && !input.Code.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add(new FieldError("code", "The code may hold only letters, digits, '-' and '_'."));
        }

        errors.AddRange(InventoryRules.CustomerText(input));

        await using var db = await factory.CreateDbContextAsync(ct);
        if (errors.Count == 0 && await db.Customers.AnyAsync(c => c.Id != input.Id && (c.Code == input.Code.Trim() || c.Name == input.Name.Trim()), ct))
        {
            errors.Add(new FieldError("code", "Another customer already has this code or name."));
        }

        if (errors.Count > 0)
        {
            return Outcome<Customer>.Invalid([.. errors]);
        }

        Customer customer;
        if (input.Id == 0)
        {
            customer = new Customer { Code = "", Name = "" };
            db.Customers.Add(customer);
        }
        else if (await db.Customers.FindAsync([input.Id], ct) is { } existing)
        {
            customer = existing;
        }
        else
        {
            return Outcome<Customer>.Missing($"There is no customer {input.Id}.");
        }

        customer.Code = input.Code.Trim();
        customer.Name = input.Name.Trim();
        customer.Sector = input.Sector;
        customer.ContactEmail = input.ContactEmail?.Trim();
        await db.As(actor).SaveChangesAsync(ct);
        changed.BindingsChanged();
        return Outcome<Customer>.Ok(customer);
    }

    /// <summary>Deletes a model, workload or customer that nothing refers to; otherwise says what still does.</summary>
    internal async Task<Outcome<bool>> DeleteAsync<T>(string actor, int id, CancellationToken ct = default) where T : class
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var entity = await db.Set<T>().FindAsync([id], ct);
        if (entity is null)
        {
            return Outcome<bool>.Missing($"There is no {typeof(T).Name.ToLowerInvariant()} {id}.");
        }

        var blocker = entity switch
        {
            Model => await db.Bindings.CountAsync(b => b.ModelId == id, ct) + await db.Approvals.CountAsync(a => a.ModelId == id, ct) > 0
                ? "This model has bindings or approvals; end its bindings instead, so the history stays." : null,
            Workload => await db.Bindings.AnyAsync(b => b.WorkloadId == id, ct)
                ? "This workload has bindings; end them instead, so the history stays." : null,
            Customer => await db.Workloads.AnyAsync(w => w.CustomerId == id, ct)
                ? "This customer has workloads; delete or move them first." : null,
            _ => null,
        };
        if (blocker is not null)
        {
            return Outcome<bool>.Invalid(new FieldError("id", blocker));
        }

        db.Remove(entity);
        await db.As(actor).SaveChangesAsync(ct);
        changed.BindingsChanged();
        return Outcome<bool>.Ok(true);
    }

    private static void Require(List<FieldError> errors, string field, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new FieldError(field, $"Enter {what}."));
        }
    }
}

/// <summary>Told when the inventory changes, so a compliance check can follow soon.</summary>
public interface IInventoryChanged
{
    void BindingsChanged();

    void ModelsChanged();
}
