using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Api;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Approvals;

/// <summary>
/// Approvals and restrictions for machines, through the same services as the pages: reading for every API caller;
/// requesting an approval for officers and administrators; deciding, revoking, restricting and lifting for
/// administrators — four-eyes compares the caller's subject here too, so a script cannot approve its own request.
/// </summary>
public static class ApprovalsApi
{
    public sealed record ApprovalDto(int Id, int ModelId, string HostModelId, ApprovalStatus Status, ImpactLevel MaxImpactLevel,
        DataCategories DataCategories, Usages Usages, Sectors Sectors, IReadOnlyList<int> CustomerIds, DateTime ValidFrom, DateTime? ValidUntil,
        string? Conditions, string Justification, string RequestedBy, DateTime RequestedAt, string? DecidedBy, DateTime? DecidedAt,
        string? DecisionReason, int? SourceId, int Version);

    public sealed record ApprovalDecision(Decision Decision, string? Reason, int Version);

    public sealed record Revocation(string? Reason, int? Version = null);

    public sealed record RestrictionDto(int Id, int? ModelId, string? Provider, Sectors Sectors, IReadOnlyList<int> CustomerIds,
        ImpactLevel MinImpactLevel, DateTime EffectiveFrom, DateTime TransitionDeadline, string Reason, string CreatedBy, DateTime CreatedAt,
        string? LiftRequestedBy, DateTime? LiftRequestedAt, string? LiftedBy, DateTime? LiftedAt, string? LiftReason, int? SourceId, int Version);

    public sealed record Lift(string? Reason);

    public static WebApplication MapApprovalsApi(this WebApplication app)
    {
        var read = app.MapGroup(ApiSetup.Prefix).WithTags("Approvals").RequireAuthorization(Policies.Api).WithETags();
        var request = app.MapGroup(ApiSetup.Prefix).WithTags("Approvals").RequireAuthorization(Policies.ApprovalRequester);
        var decide = app.MapGroup(ApiSetup.Prefix).WithTags("Approvals").RequireAuthorization(Policies.Administrator);

        read.MapGet("/approvals", async (IDbContextFactory<ComplianceDb> f, ApprovalStatus? status, int? model, long? after, int? limit, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            var q = db.Approvals.AsNoTracking().Where(a => a.Id > (after ?? 0));
            if (status is { } s) q = q.Where(a => a.Status == s);
            if (model is { } m) q = q.Where(a => a.ModelId == m);
            var items = await q.OrderBy(a => a.Id).Take(ApiPages.Limit(limit)).Select(ApprovalProjection).ToListAsync(ct);
            return ApiPages.Of(items, limit, a => a.Id);
        }).WithName("ListApprovals");

        read.MapGet("/approvals/{id:int}", async (int id, IDbContextFactory<ComplianceDb> f, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            return await db.Approvals.AsNoTracking().Where(a => a.Id == id).Select(ApprovalProjection).SingleOrDefaultAsync(ct) is { } a
                ? Results.Ok(a)
                : ApiPages.NotFound($"There is no approval {id}.");
        }).WithName("GetApproval");

        request.MapPost("/approvals", async (ApprovalRequest body, ApprovalService approvals, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
            await Answer(await approvals.RequestAsync(http.User, body with { CustomerIds = body.CustomerIds ?? [] }, ct), f, created: true, ct))
            .WithName("RequestApproval").WithIdempotencyKey().WithSummary("Ask for a model to be approved; a second administrator decides (four-eyes).");

        decide.MapPost("/approvals/{id:int}/decision", async (int id, ApprovalDecision body, ApprovalService approvals, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
            await Answer(await approvals.DecideAsync(http.User, id, body.Decision, body.Reason, body.Version, ct), f, created: false, ct))
            .WithName("DecideApproval").WithSummary("Approve or reject a request (administrators other than the requester; version from the last read).");

        decide.MapPost("/approvals/{id:int}/revoke", async (int id, Revocation body, ApprovalService approvals, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
            await Answer(await approvals.RevokeAsync(http.User, id, body.Reason, body.Version, ct), f, created: false, ct))
            .WithName("RevokeApproval");

        read.MapGet("/restrictions", async (IDbContextFactory<ComplianceDb> f, TimeProvider clock, bool? inEffect, long? after, int? limit, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            var q = db.Restrictions.AsNoTracking().Where(r => r.Id > (after ?? 0));
            if (inEffect is { } only)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                q = only
                    ? q.Where(r => r.EffectiveFrom <= now && (r.LiftedAt == null || r.LiftedAt > now))
                    : q.Where(r => r.EffectiveFrom > now || (r.LiftedAt != null && r.LiftedAt <= now));
            }

            var items = await q.OrderBy(r => r.Id).Take(ApiPages.Limit(limit)).Select(RestrictionProjection).ToListAsync(ct);
            return ApiPages.Of(items, limit, r => r.Id);
        }).WithName("ListRestrictions");

        read.MapGet("/restrictions/{id:int}", async (int id, IDbContextFactory<ComplianceDb> f, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            return await db.Restrictions.AsNoTracking().Where(r => r.Id == id).Select(RestrictionProjection).SingleOrDefaultAsync(ct) is { } r
                ? Results.Ok(r)
                : ApiPages.NotFound($"There is no restriction {id}.");
        }).WithName("GetRestriction");

        decide.MapPost("/restrictions", async (RestrictionInput body, RestrictionService restrictions, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
            await Answer(await restrictions.CreateAsync(http.User, body with { CustomerIds = body.CustomerIds ?? [] }, ct), f, created: true, ct))
            .WithName("CreateRestriction").WithIdempotencyKey().WithSummary("Restrict a model or a whole provider from a date, with a transition deadline (administrators).");

        decide.MapPost("/restrictions/{id:int}/lift", async (int id, Lift body, RestrictionService restrictions, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
            await Answer(await restrictions.LiftAsync(http.User, id, body.Reason, ct), f, created: false, ct))
            .WithName("LiftRestriction").WithSummary("The first call requests the lift; a second administrator's call confirms it (four-eyes).");

        decide.MapPost("/restrictions/{id:int}/lift/withdraw", async (int id, RestrictionService restrictions, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
            await Answer(await restrictions.WithdrawLiftAsync(http.User, id, ct), f, created: false, ct))
            .WithName("WithdrawRestrictionLift");

        return app;
    }

    private static async Task<IResult> Answer(Outcome<Approval> outcome, IDbContextFactory<ComplianceDb> f, bool created, CancellationToken ct)
    {
        if (!outcome.Succeeded)
        {
            return ApiSetup.Problem(outcome);
        }

        await using var db = await f.CreateDbContextAsync(ct);
        var dto = await db.Approvals.AsNoTracking().Where(a => a.Id == outcome.Value!.Id).Select(ApprovalProjection).SingleAsync(ct);
        return created ? Results.Created($"{ApiSetup.Prefix}/approvals/{dto.Id}", dto) : Results.Ok(dto);
    }

    private static async Task<IResult> Answer(Outcome<Restriction> outcome, IDbContextFactory<ComplianceDb> f, bool created, CancellationToken ct)
    {
        if (!outcome.Succeeded)
        {
            return ApiSetup.Problem(outcome);
        }

        await using var db = await f.CreateDbContextAsync(ct);
        var dto = await db.Restrictions.AsNoTracking().Where(r => r.Id == outcome.Value!.Id).Select(RestrictionProjection).SingleAsync(ct);
        return created ? Results.Created($"{ApiSetup.Prefix}/restrictions/{dto.Id}", dto) : Results.Ok(dto);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Approval, ApprovalDto>> ApprovalProjection = a =>
        new ApprovalDto(a.Id, a.ModelId, a.Model!.HostModelId, a.Status, a.MaxImpactLevel, a.DataCategories, a.Usages, a.Sectors, a.CustomerIds,
            a.ValidFrom, a.ValidUntil, a.Conditions, a.Justification, a.RequestedBy, a.RequestedAt, a.DecidedBy, a.DecidedAt, a.DecisionReason,
            a.SourceId, a.Version);

    private static readonly System.Linq.Expressions.Expression<Func<Restriction, RestrictionDto>> RestrictionProjection = r =>
        new RestrictionDto(r.Id, r.ModelId, r.Provider, r.Sectors, r.CustomerIds, r.MinImpactLevel, r.EffectiveFrom, r.TransitionDeadline,
            r.Reason, r.CreatedBy, r.CreatedAt, r.LiftRequestedBy, r.LiftRequestedAt, r.LiftedBy, r.LiftedAt, r.LiftReason, r.SourceId, r.Version);
}
