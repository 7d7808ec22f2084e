using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Api;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Transitions;

/// <summary>
/// Transition plans for ticket systems: read by every API caller; planned, started, cancelled and completed by
/// compliance officers through <see cref="TransitionService"/> (the same checks as the page: target allowed by the
/// rule, date by the deadline, one open plan per binding, optimistic concurrency on <c>version</c>).
/// </summary>
public static class TransitionsApi
{
    public sealed record PlanDto(int Id, int BindingId, int RestrictionId, int TargetModelId, string TargetHostModelId, string Owner,
        DateTime TargetDate, TransitionStatus Status, string? Notes, int? NewBindingId, DateTime? CompletedAt, string CreatedBy,
        DateTime CreatedAt, int Version);

    public sealed record NewPlan(int BindingId, int RestrictionId, int TargetModelId, string? Owner, DateTime TargetDate, string? Notes = null);

    public sealed record PlanChange(int Version, string? Reason = null);

    /// <summary>One plan to complete: its id and, optionally, the day the move was made (today when omitted).</summary>
    public sealed record Move(int PlanId, DateTime? MovedOn = null);

    public sealed record Moves(IReadOnlyList<Move>? Plans);

    public sealed record Completed(int Count);

    public static WebApplication MapTransitionsApi(this WebApplication app)
    {
        var read = app.MapGroup(ApiSetup.Prefix).WithTags("Transition plans").RequireAuthorization(Policies.Api).WithETags();
        var write = app.MapGroup(ApiSetup.Prefix).WithTags("Transition plans").RequireAuthorization(Policies.Officer).AddEndpointFilter<ServiceRefusals>();

        read.MapGet("/transition-plans", async (IDbContextFactory<ComplianceDb> f, int? restriction, TransitionStatus? status, long? after, int? limit, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            var q = db.TransitionPlans.AsNoTracking().Where(p => p.Id > (after ?? 0));
            if (restriction is { } r) q = q.Where(p => p.RestrictionId == r);
            if (status is { } s) q = q.Where(p => p.Status == s);
            var items = await q.OrderBy(p => p.Id).Take(ApiPages.Limit(limit)).Select(Projection).ToListAsync(ct);
            return ApiPages.Of(items, limit, p => p.Id);
        }).WithName("ListTransitionPlans");

        read.MapGet("/transition-plans/{id:int}", async (int id, IDbContextFactory<ComplianceDb> f, CancellationToken ct) =>
            await ReadAsync(f, id, ct) is { } plan ? Results.Ok(plan) : ApiPages.NotFound($"There is no transition plan {id}."))
            .WithName("GetTransitionPlan");

        write.MapPost("/transition-plans", async (NewPlan body, TransitionService plans, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
            await AnswerAsync(await plans.PlanAsync(body.BindingId, body.RestrictionId, body.TargetModelId, body.Owner, body.TargetDate, body.Notes, http.User, ct), f, created: true, ct))
            .WithName("CreateTransitionPlan").WithIdempotencyKey().WithSummary("Plan the move of a restricted binding to an allowed model by the restriction's deadline.");

        write.MapPost("/transition-plans/{id:int}/start", async (int id, PlanChange body, TransitionService plans, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
            await AnswerAsync(await plans.StartAsync(id, body.Version, http.User, ct), f, created: false, ct)).WithName("StartTransitionPlan");

        write.MapPost("/transition-plans/{id:int}/cancel", async (int id, PlanChange body, TransitionService plans, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
            await AnswerAsync(await plans.CancelAsync(id, body.Version, body.Reason, http.User, ct), f, created: false, ct)).WithName("CancelTransitionPlan");

        write.MapPost("/transition-plans/{id:int}/complete", async (int id, PlanChange body, TransitionService plans, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
            await AnswerAsync(await plans.CompleteAsync(id, body.Version, http.User, ct), f, created: false, ct))
            .WithName("CompleteTransitionPlan").WithSummary("The move is done: the old binding ends and the new one starts, in one transaction.");

        write.MapPost("/transition-plans/complete", async (Moves body, TransitionService plans, HttpContext http, CancellationToken ct) =>
        {
            var moves = (body.Plans ?? []).Select((m, i) => new PlanMove($"plans[{i}]", m.PlanId, m.MovedOn)).ToList();
            var outcome = await plans.CompleteManyAsync(moves, http.User, ct);
            return outcome.Succeeded ? Results.Ok(new Completed(outcome.Value)) : ApiSetup.Problem(outcome);
        }).WithName("CompleteTransitionPlans")
            .WithSummary("Complete many plans at once, all or none (one transaction); each problem names its plans[i] and field.");

        return app;
    }

    private static async Task<IResult> AnswerAsync(Outcome<TransitionPlan> outcome, IDbContextFactory<ComplianceDb> f, bool created, CancellationToken ct)
    {
        if (!outcome.Succeeded)
        {
            return ApiSetup.Problem(outcome);
        }

        var plan = (await ReadAsync(f, outcome.Value!.Id, ct))!;
        return created ? Results.Created($"{ApiSetup.Prefix}/transition-plans/{plan.Id}", plan) : Results.Ok(plan);
    }

    private static async Task<PlanDto?> ReadAsync(IDbContextFactory<ComplianceDb> f, int id, CancellationToken ct)
    {
        await using var db = await f.CreateDbContextAsync(ct);
        return await db.TransitionPlans.AsNoTracking().Where(p => p.Id == id).Select(Projection).SingleOrDefaultAsync(ct);
    }

    private static readonly System.Linq.Expressions.Expression<Func<TransitionPlan, PlanDto>> Projection = p =>
        new PlanDto(p.Id, p.BindingId, p.RestrictionId, p.TargetModelId, p.TargetModel!.HostModelId, p.Owner, p.TargetDate, p.Status, p.Notes,
            p.NewBindingId, p.CompletedAt, p.CreatedBy, p.CreatedAt, p.Version);
}
