using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Api;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Web.Features.Findings;

/// <summary>
/// Findings, their waivers and check runs for scripts and ticket systems: the same queries and services as the pages.
/// Reads for every API caller (staff and pipelines); waiving for compliance officers (the service enforces it); a check
/// run can be asked for by officers and administrators.
/// </summary>
public static class FindingsApi
{
    public sealed record WaiverDto(int Id, long FindingId, string Justification, string GrantedBy, DateTime GrantedAt, DateTime ExpiresAt,
        DateTime? RevokedAt, string? RevokedBy);

    public sealed record FindingDetailDto(FindingListRow Finding, string Title, IReadOnlyList<WaiverDto> Waivers);

    public sealed record NewWaiver(string Justification, DateTime ExpiresAt);

    public sealed record WaiverRevocation(string Reason);

    public sealed record CheckRunRequested(string JobId, string Detail);

    /// <summary>One keyset page of <c>GET /findings</c> (the benchmark times this very query).</summary>
    public static IQueryable<FindingListRow> FindingsPage(ComplianceDb db, FindingFilter filter, long? after, int? limit) =>
        db.FindingRows(filter).Where(r => r.Id > (after ?? 0)).OrderBy(r => r.Id).Take(ApiPages.Limit(limit));

    public static WebApplication MapFindingsApi(this WebApplication app)
    {
        var read = app.MapGroup(ApiSetup.Prefix).WithTags("Findings").RequireAuthorization(Policies.Api).WithETags();
        var write = app.MapGroup(ApiSetup.Prefix).WithTags("Findings").RequireAuthorization(Policies.Api).AddEndpointFilter<ServiceRefusals>();

        read.MapGet("/findings", async (IDbContextFactory<ComplianceDb> f, FindingRule? rule, string? status, Severity? severity,
            int? customer, int? model, int? restriction, long? after, int? limit, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            var filter = FindingFilter.Parse(rule?.ToString(), status, severity?.ToString(), customer, model, restriction);
            var items = await FindingsPage(db, filter, after, limit).ToListAsync(ct);
            return ApiPages.Of(items, limit, r => r.Id);
        }).WithName("ListFindings").WithSummary("Findings, open ones by default (status=Open|Waived|Resolved|all), filtered by rule, severity, customer, model or restriction.");

        read.MapGet("/findings/{id:long}", async (long id, IDbContextFactory<ComplianceDb> f, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            var row = await db.FindingRows(new FindingFilter(null, null, null, null, null, null)).SingleOrDefaultAsync(r => r.Id == id, ct);
            if (row is null)
            {
                return ApiPages.NotFound($"There is no finding {id}.");
            }

            var waivers = await db.Waivers.AsNoTracking().Where(w => w.FindingId == id).OrderBy(w => w.Id).Select(WaiverProjection).ToListAsync(ct);
            return Results.Ok(new FindingDetailDto(row, FindingRules.Title(row.Rule), waivers));
        }).WithName("GetFinding");

        write.MapPost("/findings/{id:long}/waivers", async (long id, NewWaiver body, WaiverService waivers, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
        {
            if (!await ExistsAsync(f, id, ct))
            {
                return ApiPages.NotFound($"There is no finding {id}.");
            }

            var waiver = await waivers.GrantAsync(http.User, id, body.Justification, body.ExpiresAt, ct);
            return Results.Created($"{ApiSetup.Prefix}/findings/{id}", ToDto(waiver));
        }).WithName("WaiveFinding").WithIdempotencyKey().WithSummary("Accept an open finding until a date (compliance officers; at most a year, never past the restriction's deadline).");

        write.MapPost("/waivers/{id:int}/revoke", async (int id, WaiverRevocation body, WaiverService waivers, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
        {
            await using (var db = await f.CreateDbContextAsync(ct))
            {
                if (!await db.Waivers.AnyAsync(w => w.Id == id, ct))
                {
                    return ApiPages.NotFound($"There is no waiver {id}.");
                }
            }

            await waivers.RevokeAsync(http.User, id, body.Reason, ct);
            await using var after = await f.CreateDbContextAsync(ct);
            return Results.Ok(await after.Waivers.AsNoTracking().Where(w => w.Id == id).Select(WaiverProjection).SingleAsync(ct));
        }).WithName("RevokeWaiver");

        read.MapGet("/check-runs", async (IDbContextFactory<ComplianceDb> f, long? after, int? limit, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            // Newest first: keyset on the id going down.
            var q = db.CheckRuns.AsNoTracking();
            if (after is { } a) q = q.Where(r => r.Id < a);
            var items = await q.OrderByDescending(r => r.Id).Take(ApiPages.Limit(limit)).ToListAsync(ct);
            return ApiPages.Of(items, limit, r => r.Id);
        }).WithName("ListCheckRuns").WithSummary("Check runs, newest first (status Running while one is in progress).");

        read.MapGet("/check-runs/{id:int}", async (int id, IDbContextFactory<ComplianceDb> f, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            return await db.CheckRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) is { } run
                ? Results.Ok(run)
                : ApiPages.NotFound($"There is no check run {id}.");
        }).WithName("GetCheckRun");

        write.MapPost("/check-runs", (CheckScheduler scheduler) =>
        {
            scheduler.RequestSoon();
            return Results.Accepted($"{ApiSetup.Prefix}/check-runs", new CheckRunRequested(scheduler.LastJobId ?? "",
                "A check run is queued (or one already pending covers this request); follow it on GET /api/v1/check-runs."));
        }).RequireAuthorization(Policies.ApprovalRequester).WithName("RequestCheckRun").WithSummary("Ask for a check run now (officers and administrators).");

        return app;
    }

    private static async Task<bool> ExistsAsync(IDbContextFactory<ComplianceDb> f, long id, CancellationToken ct)
    {
        await using var db = await f.CreateDbContextAsync(ct);
        return await db.Findings.AnyAsync(x => x.Id == id, ct);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Waiver, WaiverDto>> WaiverProjection = w =>
        new WaiverDto(w.Id, w.FindingId, w.Justification, w.GrantedBy, w.GrantedAt, w.ExpiresAt, w.RevokedAt, w.RevokedBy);

    private static readonly Func<Waiver, WaiverDto> ToDto = WaiverProjection.Compile();
}
