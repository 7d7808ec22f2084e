using System.Globalization;
using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Shared;
using Compliance.Web.Features.Checks;

namespace Compliance.Web.Features.Transitions;

/// <summary>A model the rule allows for the binding's workload, and why (the approval that covers it, any warning).</summary>
public sealed record TransitionSuggestion(int ModelId, string DisplayName, string HostModelId, string Provider, string Hosting, string Why, bool HasWarning);

/// <summary>One binding a restriction reaches, with the state of its move.</summary>
public sealed record AffectedBinding(
    int BindingId, bool Active, int ModelId, string ModelName, string HostModelId, int WorkloadId, string WorkloadName,
    int CustomerId, string CustomerName, ImpactLevel ImpactLevel, Usage Usage,
    int? PlanId, TransitionStatus? PlanStatus, string? TargetModelName, DateTime? TargetDate, string? Owner, int PlanVersion);

/// <summary>How far a bulk planning has come.</summary>
/// <summary>One plan to complete: where it was asked for (a CSV row, a grid selection), and when the move happened (now if not said).</summary>
public sealed record PlanMove(string Where, int PlanId, DateTime? MovedOn = null);

public sealed record PlanAllProgress(int Done, int Total, int Planned, IReadOnlyList<string> Skipped);

/// <summary>
/// Transition plans: for a binding whose model a restriction denies, the move to a model the rule allows, by the
/// restriction's deadline. Suggestions come from <see cref="ReferenceData.AllowedAlternatives"/> (the evaluation rule
/// itself); completing a plan moves the binding through <see cref="InventoryService.MoveBindingAsync(string,int,int,DateTime?,string?,Func{ComplianceDb,Binding,CancellationToken,Task}?,CancellationToken)"/>,
/// whose inventory change event asks for a check (<see cref="CheckScheduler.RequestSoon"/>) that resolves the finding.
/// </summary>
public sealed class TransitionService(
    IDbContextFactory<ComplianceDb> factory,
    ReferenceDataCache reference,
    InventoryService inventory,
    IOptions<CheckOptions> options,
    TimeProvider clock)
{
    public const string ConflictMessage = "Someone else changed this transition plan meanwhile; reload the page to see the current plan and try again.";

    private static readonly TransitionStatus[] OpenStatuses = [TransitionStatus.Planned, TransitionStatus.InProgress];

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Models the rule allows for this binding's workload, level, categories, usage and customer now, excluding those already serving it.</summary>
    public async Task<IReadOnlyList<TransitionSuggestion>> SuggestAsync(int bindingId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var facts = await FactsAsync(db, bindingId, ct);
        if (facts is null)
        {
            return [];
        }

        return await SuggestAsync(db, bindingId, facts.Value, await reference.GetAsync(ct), ct);
    }

    private async Task<IReadOnlyList<TransitionSuggestion>> SuggestAsync(ComplianceDb db, int bindingId, BindingFacts facts, ReferenceData data, CancellationToken ct)
    {
        var now = Now;
        var workloadId = await db.Bindings.Where(b => b.Id == bindingId).Select(b => b.WorkloadId).SingleAsync(ct);
        var serving = await db.Bindings.Where(b => b.WorkloadId == workloadId && b.Usage == facts.Usage && (b.To == null || b.To > now))
            .Select(b => b.ModelId).ToListAsync(ct);
        var window = options.Value.ExpiringSoonWindow;
        return [.. data.AllowedAlternatives(facts, now, window)
            .Where(m => !serving.Contains(m.Id))
            .Select(m =>
            {
                var warnings = data.Evaluate(facts with { ModelId = m.Id }, now, window).Reasons;
                return new TransitionSuggestion(m.Id, m.DisplayName, m.HostModelId, m.Provider, m.Hosting, Why(data, m, facts, now, warnings), warnings.Count > 0);
            })];
    }

    /// <summary>Records a plan: target among the allowed models, target date between today and the deadline, one open plan per binding.</summary>
    public async Task<Outcome<TransitionPlan>> PlanAsync(int bindingId, int restrictionId, int targetModelId, string? owner, DateTime targetDate,
        string? notes, ClaimsPrincipal by, CancellationToken ct = default)
    {
        RequireOfficer(by);
        var now = Now;
        await using var db = await factory.CreateDbContextAsync(ct);
        var facts = await FactsAsync(db, bindingId, ct);
        if (facts is null)
        {
            return Outcome<TransitionPlan>.Missing($"There is no active binding {bindingId}.");
        }

        var restriction = await db.Restrictions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == restrictionId, ct);
        if (restriction is null)
        {
            return Outcome<TransitionPlan>.Missing($"There is no restriction {restrictionId}.");
        }

        var data = await reference.GetAsync(ct);
        var model = data.FindModel(facts.Value.ModelId)!;
        if (BindingEvaluator.MatchingRestriction(facts.Value, model, [restriction], now) is null)
        {
            return Outcome<TransitionPlan>.Invalid(new FieldError("restrictionId", $"Restriction #{restrictionId} does not apply to this binding (lifted, not yet in effect, or out of its scope)."));
        }

        var errors = new List<FieldError>();
        owner = owner?.Trim() ?? "";
        if (owner.Length == 0)
        {
            errors.Add(new FieldError("owner", "Name who owns the move."));
        }
        else if (owner.Length > 200)
        {
            errors.Add(new FieldError("owner", "The owner is limited to 200 characters."));
        }

        var day = targetDate.Date;
        if (day < now.Date)
        {
            errors.Add(new FieldError("targetDate", "The target date cannot be in the past."));
        }
        else if (day > restriction.TransitionDeadline.Date)
        {
            errors.Add(new FieldError("targetDate", $"The target date must be on or before the restriction's deadline, {Day(restriction.TransitionDeadline)}."));
        }

        if (notes?.Length > 2000)
        {
            errors.Add(new FieldError("notes", "Notes are limited to 2,000 characters."));
        }

        var suggestions = await SuggestAsync(db, bindingId, facts.Value, data, ct);
        if (suggestions.All(s => s.ModelId != targetModelId))
        {
            errors.Add(new FieldError("targetModelId", suggestions.Count == 0
                ? "No model is allowed for this workload now: approve an alternative first."
                : "The rule does not allow this model for this workload; choose one of the suggestions."));
        }

        if (errors.Count > 0)
        {
            return Outcome<TransitionPlan>.Invalid([.. errors]);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.TransitionPlans.AnyAsync(p => p.BindingId == bindingId && OpenStatuses.Contains(p.Status), ct))
        {
            return Outcome<TransitionPlan>.Invalid(new FieldError("bindingId", $"Binding {bindingId} already has an open transition plan; change or cancel that one."));
        }

        var actor = by.ActorName();
        var plan = new TransitionPlan
        {
            BindingId = bindingId, RestrictionId = restrictionId, TargetModelId = targetModelId, Owner = owner,
            TargetDate = DateTime.SpecifyKind(day, DateTimeKind.Utc), Status = TransitionStatus.Planned,
            Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim(), CreatedBy = actor, CreatedAt = now,
        };
        db.As(actor, $"Plan to move binding {bindingId} off restriction #{restrictionId}").TransitionPlans.Add(plan);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            if (!await OpenPlanExistsAsync(bindingId, ct))
            {
                throw;
            }

            // Another officer planned the same binding at the same moment; the unique index kept one plan.
            return Outcome<TransitionPlan>.Invalid(new FieldError("bindingId", $"Binding {bindingId} already has an open transition plan; change or cancel that one."));
        }

        await tx.CommitAsync(ct);
        return Outcome<TransitionPlan>.Ok(plan);
    }

    private async Task<bool> OpenPlanExistsAsync(int bindingId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.TransitionPlans.AnyAsync(p => p.BindingId == bindingId && OpenStatuses.Contains(p.Status), ct);
    }

    /// <summary>The move has started.</summary>
    public Task<Outcome<TransitionPlan>> StartAsync(int planId, int version, ClaimsPrincipal by, CancellationToken ct = default) =>
        ChangeAsync(planId, version, by, [TransitionStatus.Planned], p => p.Status = TransitionStatus.InProgress, "Transition started", ct);

    /// <summary>The plan is dropped; the binding may be planned again.</summary>
    public Task<Outcome<TransitionPlan>> CancelAsync(int planId, int version, string? reason, ClaimsPrincipal by, CancellationToken ct = default) =>
        ChangeAsync(planId, version, by, OpenStatuses, p => p.Status = TransitionStatus.Cancelled,
            string.IsNullOrWhiteSpace(reason) ? "Transition cancelled" : reason.Trim(), ct);

    /// <summary>
    /// The move is done: in one transaction the old binding ends, the new one (target model, same workload, usage and purpose)
    /// starts, and the plan records it. The inventory change asks for a check, which resolves the Restricted finding.
    /// </summary>
    public async Task<Outcome<TransitionPlan>> CompleteAsync(int planId, int version, ClaimsPrincipal by, CancellationToken ct = default)
    {
        RequireOfficer(by);
        TransitionPlan? plan;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            plan = await db.TransitionPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, ct);
        }

        if (Check(plan, planId, version, OpenStatuses) is { } problem)
        {
            return problem;
        }

        var now = Now;
        TransitionPlan? done = null;
        try
        {
            var moved = await inventory.MoveBindingAsync(by, plan!.BindingId, plan.TargetModelId, now, $"Transition plan #{planId} done",
                async (db, newBinding, token) =>
                {
                    done = await db.TransitionPlans.SingleAsync(p => p.Id == planId, token);
                    db.Entry(done).Property(p => p.Version).OriginalValue = version;
                    if (done.Version != version || done.Status is not (TransitionStatus.Planned or TransitionStatus.InProgress))
                    {
                        throw new DbUpdateConcurrencyException(ConflictMessage);
                    }

                    done.Status = TransitionStatus.Done;
                    done.NewBindingId = newBinding.Id;
                    done.CompletedAt = now;
                    await db.SaveChangesAsync(token);
                }, ct);
            if (!moved.Succeeded)
            {
                return new Outcome<TransitionPlan>(null, moved.Errors, moved.NotFound);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<TransitionPlan>.Invalid(new FieldError("version", ConflictMessage));
        }

        return Outcome<TransitionPlan>.Ok(done!);
    }

    /// <summary>
    /// The hour after a vendor is restricted: plans every affected, unplanned binding with its first suggestion, the deadline
    /// as target date and the officer as owner. Bindings with no allowed alternative are skipped and named.
    /// </summary>
    public async Task<PlanAllProgress> PlanAllWithFirstSuggestionAsync(int restrictionId, ClaimsPrincipal by, IProgress<PlanAllProgress>? progress, CancellationToken ct)
    {
        RequireOfficer(by);
        var affected = await AffectedAsync(restrictionId, ct);
        var todo = affected.Where(a => a.Active && a.PlanId is null).ToList();
        var deadline = await RestrictionDeadlineAsync(restrictionId, ct);
        var owner = by.ActorName();
        int done = 0, planned = 0;
        var skipped = new List<string>();
        foreach (var binding in todo)
        {
            ct.ThrowIfCancellationRequested();
            var first = (await SuggestAsync(binding.BindingId, ct)).FirstOrDefault();
            if (first is null)
            {
                skipped.Add($"{binding.WorkloadName} ({binding.CustomerName}): no model is allowed for it now.");
            }
            else
            {
                var outcome = await PlanAsync(binding.BindingId, restrictionId, first.ModelId, owner, deadline, "Planned in bulk with the first suggestion.", by, ct);
                if (outcome.Succeeded)
                {
                    planned++;
                }
                else
                {
                    skipped.Add($"{binding.WorkloadName} ({binding.CustomerName}): {outcome.Message}");
                }
            }

            done++;
            progress?.Report(new PlanAllProgress(done, todo.Count, planned, skipped));
        }

        return new PlanAllProgress(done, todo.Count, planned, skipped);
    }

    /// <summary>
    /// Every active binding the restriction reaches now (by the rule's own matching), plus the bindings its plans already
    /// moved, each with its latest plan that is not cancelled.
    /// </summary>
    public async Task<IReadOnlyList<AffectedBinding>> AffectedAsync(int restrictionId, CancellationToken ct = default)
    {
        var now = Now;
        await using var db = await factory.CreateDbContextAsync(ct);
        var restriction = await db.Restrictions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == restrictionId, ct);
        if (restriction is null)
        {
            return [];
        }

        var data = await reference.GetAsync(ct);
        var modelIds = data.Models.Where(m => BindingEvaluator.Names(restriction, m)).Select(m => m.Id).ToList();
        var sectors = Enum.GetValues<Sector>().Where(s => restriction.Sectors == Sectors.None || (restriction.Sectors & s.ToSet()) != 0).ToList();
        var customerIds = restriction.CustomerIds;
        var anyCustomer = customerIds.Count == 0;
        var plans = db.TransitionPlans.Where(p => p.RestrictionId == restrictionId && p.Status != TransitionStatus.Cancelled);
        var rows = await db.Bindings.AsNoTracking()
            .Where(b => modelIds.Contains(b.ModelId)
                && sectors.Contains(b.Workload!.Customer!.Sector)
                && (anyCustomer || customerIds.Contains(b.Workload.CustomerId))
                && b.Workload.ImpactLevel >= restriction.MinImpactLevel
                && ((b.To == null || b.To > now) || plans.Any(p => p.BindingId == b.Id && p.Status == TransitionStatus.Done)))
            .Select(b => new
            {
                b.Id, b.From, b.To, b.ModelId, ModelName = b.Model!.DisplayName, b.Model.HostModelId, b.WorkloadId, WorkloadName = b.Workload!.Name,
                b.Workload.CustomerId, CustomerName = b.Workload.Customer!.Name, b.Workload.Customer.Sector, b.Workload.ImpactLevel,
                b.Workload.DataCategories, b.Usage,
                Plan = plans.Where(p => p.BindingId == b.Id).OrderByDescending(p => p.Id)
                    .Select(p => new { p.Id, p.Status, Target = p.TargetModel!.DisplayName, p.TargetDate, p.Owner, p.Version }).FirstOrDefault(),
            })
            .ToListAsync(ct);

        return [.. rows
            .Where(r => r.Plan?.Status == TransitionStatus.Done || BindingEvaluator.MatchingRestriction(
                BindingFacts.OfWorkload(r.CustomerId, r.Sector, r.ImpactLevel, r.DataCategories).For(r.ModelId, r.Usage), data.FindModel(r.ModelId)!, [restriction], now) is not null)
            .OrderBy(r => r.CustomerName).ThenBy(r => r.WorkloadName).ThenBy(r => r.Id)
            .Select(r => new AffectedBinding(r.Id, r.To is null || r.To > now, r.ModelId, r.ModelName, r.HostModelId, r.WorkloadId, r.WorkloadName,
                r.CustomerId, r.CustomerName, r.ImpactLevel, r.Usage, r.Plan?.Id, r.Plan?.Status, r.Plan?.Target, r.Plan?.TargetDate, r.Plan?.Owner, r.Plan?.Version ?? 0))];
    }

    /// <summary>
    /// Completes many plans at once (selected in the grid, or the rows of an uploaded CSV of moves): every move is made
    /// in one transaction, so either all plans are done or none is, and each problem names its row (or plan) and field.
    /// </summary>
    public async Task<Outcome<int>> CompleteManyAsync(IReadOnlyList<PlanMove> moves, ClaimsPrincipal by, CancellationToken ct = default)
    {
        RequireOfficer(by);
        if (moves.Count == 0)
        {
            return Outcome<int>.Invalid(new FieldError("moves", "Choose at least one transition plan to complete."));
        }

        if (moves.Count > MaxMovesAtOnce)
        {
            return Outcome<int>.Invalid(new FieldError("moves", $"At most {MaxMovesAtOnce:N0} plans are completed at once; split the list."));
        }

        var actor = by.ActorName();
        var now = Now;
        var errors = new List<FieldError>();
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var seen = new Dictionary<int, string>();
        foreach (var move in moves)
        {
            ct.ThrowIfCancellationRequested();
            if (!seen.TryAdd(move.PlanId, move.Where))
            {
                errors.Add(new FieldError($"{move.Where}: plan_id", $"repeats plan {move.PlanId} of {seen[move.PlanId]}."));
                continue;
            }

            var plan = await db.TransitionPlans.SingleOrDefaultAsync(p => p.Id == move.PlanId, ct);
            if (plan is null || !OpenStatuses.Contains(plan.Status))
            {
                errors.Add(new FieldError($"{move.Where}: plan_id", plan is null ? $"there is no transition plan {move.PlanId}." : $"plan {move.PlanId} is {plan.Status}, not open."));
                continue;
            }

            var when = move.MovedOn ?? now;
            if (when > now)
            {
                errors.Add(new FieldError($"{move.Where}: moved_on", $"{when:yyyy-MM-dd} is in the future; a move is recorded once it happened."));
                continue;
            }

            var moved = await inventory.MoveBindingWithinAsync(db, actor, plan.BindingId, plan.TargetModelId, when, $"Transition plan #{plan.Id} done", ct);
            if (!moved.Succeeded)
            {
                errors.AddRange(moved.Errors.Select(e => new FieldError($"{move.Where}: {(e.Field == "at" ? "moved_on" : e.Field)}", e.Message)));
                continue;
            }

            (plan.Status, plan.NewBindingId, plan.CompletedAt) = (TransitionStatus.Done, moved.Value!.Id, when);
            await db.As(actor, $"Transition plan #{plan.Id} done").SaveChangesAsync(ct);
        }

        if (errors.Count > 0)
        {
            return Outcome<int>.Invalid([.. errors]); // the transaction is disposed uncommitted: nothing moved
        }

        await tx.CommitAsync(ct);
        inventory.BindingsMoved();
        return Outcome<int>.Ok(moves.Count);
    }

    public const int MaxMovesAtOnce = 10_000;

    private async Task<DateTime> RestrictionDeadlineAsync(int restrictionId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Restrictions.Where(r => r.Id == restrictionId).Select(r => r.TransitionDeadline).SingleAsync(ct);
    }

    private async Task<Outcome<TransitionPlan>> ChangeAsync(int planId, int version, ClaimsPrincipal by, TransitionStatus[] from,
        Action<TransitionPlan> change, string reason, CancellationToken ct)
    {
        RequireOfficer(by);
        await using var db = await factory.CreateDbContextAsync(ct);
        var plan = await db.TransitionPlans.SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (Check(plan, planId, version, from) is { } problem)
        {
            return problem;
        }

        db.Entry(plan!).Property(p => p.Version).OriginalValue = version;
        change(plan!);
        try
        {
            await db.As(by.ActorName(), reason).SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<TransitionPlan>.Invalid(new FieldError("version", ConflictMessage));
        }

        return Outcome<TransitionPlan>.Ok(plan!);
    }

    private static Outcome<TransitionPlan>? Check(TransitionPlan? plan, int planId, int version, TransitionStatus[] from)
    {
        if (plan is null)
        {
            return Outcome<TransitionPlan>.Missing($"There is no transition plan {planId}.");
        }

        if (plan.Version != version)
        {
            return Outcome<TransitionPlan>.Invalid(new FieldError("version", ConflictMessage));
        }

        return from.Contains(plan.Status) ? null
            : Outcome<TransitionPlan>.Invalid(new FieldError("status", $"Transition plan {planId} is {plan.Status}; it cannot change that way."));
    }

    private async Task<BindingFacts?> FactsAsync(ComplianceDb db, int bindingId, CancellationToken ct)
    {
        var now = Now;
        var facts = await db.Bindings.AsNoTracking().Where(b => b.Id == bindingId && (b.To == null || b.To > now))
            .Select(BindingFacts.OfBinding).ToListAsync(ct);
        return facts.Count == 0 ? null : facts.Single();
    }

    /// <summary>Why the rule allows the model: the approval that covers the workload, and any warning it carries.</summary>
    private static string Why(ReferenceData data, Model model, BindingFacts facts, DateTime now, IReadOnlyList<Reason> warnings)
    {
        var covering = data.ApprovalsOf(model.Id)
            .Where(a => a.Status == ApprovalStatus.Approved && a.ValidFrom <= now && (a.ValidUntil == null || a.ValidUntil > now)
                && a.CoversCustomer(facts.CustomerId, facts.Sector) && facts.ImpactLevel <= a.MaxImpactLevel
                && (facts.DataCategories & ~a.DataCategories) == 0 && (a.Usages & facts.Usage.ToSet()) != 0)
            .OrderByDescending(a => a.ValidUntil ?? DateTime.MaxValue)
            .FirstOrDefault();
        var why = covering is null
            ? $"Allowed by the rule for this workload ({model.Hosting})."
            : $"Approval #{covering.Id} covers it up to {covering.MaxImpactLevel} for {Shared.Labels.Categories(covering.DataCategories)} ({covering.Usages})"
              + (covering.ValidUntil is { } until ? $", until {Day(until)}" : "") + $"; {model.Hosting}, not restricted.";
        return warnings.Count == 0 ? why : why + " Note: " + string.Join(" ", warnings.Select(w => w.Message));
    }

    private static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void RequireOfficer(ClaimsPrincipal user)
    {
        if (!user.ActsAs(Roles.ComplianceOfficer))
        {
            throw new UnauthorizedAccessException("Only a compliance officer may plan transitions.");
        }
    }
}
