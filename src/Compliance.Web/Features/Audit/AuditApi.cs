using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Api;
using Compliance.Web.Auth;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Audit;

/// <summary>
/// The audit trail for auditors' tools: page through the events with their hashes (so the chain can be re-computed
/// offline), read the latest verification, ask for a new one. Staff only (officers, administrators, auditors): the
/// trail names people and reasons, which a pipeline has no need to read.
/// </summary>
public static class AuditApi
{
    public sealed record AuditEventDto(long Id, DateTime At, string User, string? UserName, AuditAction Action, string Entity, string EntityKey,
        string? Before, string? After, string? Reason, string PreviousHash, string Hash);

    public sealed record VerificationDto(AuditVerification? Last, AuditVerification? Running);

    public sealed record VerificationRequested(string JobId);

    public static WebApplication MapAuditApi(this WebApplication app)
    {
        var staff = app.MapGroup($"{ApiSetup.Prefix}/audit").WithTags("Audit trail").RequireAuthorization(Policies.Staff);

        staff.MapGet("/events", async (IDbContextFactory<ComplianceDb> f, string? entity, string? entityKey, long? after, int? limit, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            var q = db.AuditEvents.AsNoTracking().Where(e => e.Id > (after ?? 0));
            if (!string.IsNullOrWhiteSpace(entity)) q = q.Where(e => e.Entity == entity);
            if (!string.IsNullOrWhiteSpace(entityKey)) q = q.Where(e => e.EntityKey == entityKey);
            var items = await q.OrderBy(e => e.Id).Take(ApiPages.Limit(limit))
                .Select(e => new AuditEventDto(e.Id, e.At, e.User, e.UserName, e.Action, e.Entity, e.EntityKey, e.Before, e.After, e.Reason, e.PreviousHash, e.Hash))
                .ToListAsync(ct);
            return ApiPages.Of(items, limit, e => e.Id);
        }).WithETags().WithName("ListAuditEvents").WithSummary("Audit events in chain order, each with the hash of the one before it and its own.");

        staff.MapGet("/verification", async (AuditVerifier verifier, CancellationToken ct) =>
        {
            var (last, running) = await verifier.LatestAsync(ct);
            return Results.Ok(new VerificationDto(last, running));
        }).WithETags().WithName("GetAuditVerification").WithSummary("The newest finished verification of the chain and anchors, and a running one.");

        staff.MapPost("/verification", (IBackgroundJobClient jobs, HttpContext http) =>
        {
            var actor = http.User.ActorName();
            var id = jobs.Enqueue<AuditVerifier>(v => v.VerifyAsync(actor, null, CancellationToken.None));
            return Results.Accepted($"{ApiSetup.Prefix}/audit/verification", new VerificationRequested(id));
        }).WithName("RequestAuditVerification").WithSummary("Walk the whole chain again in the background; follow it on GET /api/v1/audit/verification.");

        return app;
    }
}
