using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Api;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Inventory;

/// <summary>
/// Inventory endpoints for deployment pipelines and scripts: list and read models, workloads and
/// bindings (keyset pages: <c>?after={lastId}&amp;limit=</c>), and register, end or move a binding.
/// </summary>
public static class InventoryApi
{
    public sealed record ModelDto(int Id, string Provider, string HostModelId, string DisplayName, string Version, string Hosting, string Region,
        ModelLifecycle Lifecycle, DateTime? DeprecatedOn, DateTime? RetiredOn);

    public sealed record WorkloadDto(int Id, string? Key, int CustomerId, string Customer, string Name, string Owner, string Environment,
        ImpactLevel ImpactLevel, DataCategories[] DataCategories);

    public sealed record BindingDto(int Id, int ModelId, string HostModelId, int WorkloadId, string Workload, int CustomerId,
        Usage Usage, string Purpose, DateTime From, DateTime? To);

    public sealed record NewBinding(int ModelId, int WorkloadId, Usage Usage = Usage.Inference, string? Purpose = null, DateTime? From = null);

    public sealed record EndBinding(DateTime? At = null, string? Reason = null);

    public sealed record MoveBinding(int ModelId, DateTime? At = null, string? Reason = null);

    public static WebApplication MapInventoryApi(this WebApplication app)
    {
        var read = app.MapGroup(ApiSetup.Prefix).WithTags("Inventory").RequireAuthorization(Policies.Api).WithETags();
        var write = app.MapGroup(ApiSetup.Prefix).WithTags("Inventory").RequireAuthorization(Policies.ApiWrite);

        read.MapGet("/models", async (IDbContextFactory<ComplianceDb> f, TimeProvider clock, string? provider, string? hosting, int? after, int? limit, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            var q = db.Models.AsNoTracking().Where(m => m.Id > (after ?? 0));
            if (!string.IsNullOrWhiteSpace(provider)) q = q.Where(m => m.Provider == provider);
            if (!string.IsNullOrWhiteSpace(hosting)) q = q.Where(m => m.Hosting == hosting);
            var now = clock.GetUtcNow().UtcDateTime;
            var items = await q.OrderBy(m => m.Id).Take(ApiPages.Limit(limit)).ToListAsync(ct);
            return ApiPages.Of(items.Select(m => ToDto(m, now)).ToList(), limit, x => x.Id);
        }).WithName("ListModels");

        read.MapGet("/models/{id:int}", async (int id, IDbContextFactory<ComplianceDb> f, TimeProvider clock, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            return await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) is { } m
                ? Results.Ok(ToDto(m, clock.GetUtcNow().UtcDateTime))
                : ApiPages.NotFound($"There is no model {id}.");
        }).WithName("GetModel");

        read.MapGet("/workloads", async (IDbContextFactory<ComplianceDb> f, int? customer, string? key, int? after, int? limit, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            var q = db.Workloads.AsNoTracking().Where(w => w.Id > (after ?? 0));
            if (customer is { } c) q = q.Where(w => w.CustomerId == c);
            if (!string.IsNullOrWhiteSpace(key)) q = q.Where(w => w.Key == key.Trim());
            var items = await q.OrderBy(w => w.Id).Take(ApiPages.Limit(limit)).Select(WorkloadProjection).ToListAsync(ct);
            return ApiPages.Of(items.Select(Finish).ToList(), limit, x => x.Id);
        }).WithName("ListWorkloads");

        read.MapGet("/workloads/{id:int}", async (int id, IDbContextFactory<ComplianceDb> f, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            return await db.Workloads.AsNoTracking().Where(w => w.Id == id).Select(WorkloadProjection).SingleOrDefaultAsync(ct) is { } w
                ? Results.Ok(Finish(w))
                : ApiPages.NotFound($"There is no workload {id}.");
        }).WithName("GetWorkload");

        read.MapGet("/bindings", async (IDbContextFactory<ComplianceDb> f, TimeProvider clock, int? model, int? workload, int? customer, bool? active, int? after, int? limit, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            var items = await BindingsPage(db, clock.GetUtcNow().UtcDateTime, model, workload, customer, active, after, limit).ToListAsync(ct);
            return ApiPages.Of(items, limit, x => x.Id);
        }).WithName("ListBindings");

        read.MapGet("/bindings/{id:int}", async (int id, IDbContextFactory<ComplianceDb> f, CancellationToken ct) =>
        {
            await using var db = await f.CreateDbContextAsync(ct);
            return await db.Bindings.AsNoTracking().Where(b => b.Id == id).Select(BindingProjection).SingleOrDefaultAsync(ct) is { } b
                ? Results.Ok(b)
                : ApiPages.NotFound($"There is no binding {id}.");
        }).WithName("GetBinding");

        write.MapPost("/bindings", async (NewBinding body, InventoryService inventory, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
        {
            var outcome = await inventory.CreateBindingAsync(http.User, new BindingInput(body.ModelId, body.WorkloadId, body.Usage, body.Purpose, body.From), ct);
            return outcome.Succeeded
                ? Results.Created($"{ApiSetup.Prefix}/bindings/{outcome.Value!.Id}", await ReadAsync(f, outcome.Value.Id, ct))
                : ApiSetup.Problem(outcome);
        }).WithName("CreateBinding").WithIdempotencyKey();

        write.MapPost("/bindings/{id:int}/end", async (int id, EndBinding? body, InventoryService inventory, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
        {
            var outcome = await inventory.EndBindingAsync(http.User, id, body?.At, body?.Reason, ct);
            return outcome.Succeeded ? Results.Ok(await ReadAsync(f, id, ct)) : ApiSetup.Problem(outcome);
        }).WithName("EndBinding");

        write.MapPost("/bindings/{id:int}/move", async (int id, MoveBinding body, InventoryService inventory, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct) =>
        {
            var outcome = await inventory.MoveBindingAsync(http.User, id, body.ModelId, body.At, body.Reason, ct: ct);
            return outcome.Succeeded
                ? Results.Created($"{ApiSetup.Prefix}/bindings/{outcome.Value!.Id}", await ReadAsync(f, outcome.Value.Id, ct))
                : ApiSetup.Problem(outcome);
        }).WithName("MoveBinding").WithIdempotencyKey();

        return app;
    }

    private static ModelDto ToDto(Model m, DateTime now) =>
        new(m.Id, m.Provider, m.HostModelId, m.DisplayName, m.Version, m.Hosting, m.Region, m.LifecycleAt(now), m.DeprecatedOn, m.RetiredOn);

    private static readonly System.Linq.Expressions.Expression<Func<Workload, WorkloadDto>> WorkloadProjection = w =>
        new WorkloadDto(w.Id, w.Key, w.CustomerId, w.Customer!.Name, w.Name, w.Owner, w.Environment, w.ImpactLevel, new[] { w.DataCategories });

    // Data categories are stored as one set; the API lists its members.
    private static WorkloadDto Finish(WorkloadDto w) => w with { DataCategories = [.. w.DataCategories[0].Members()] };

    /// <summary>One keyset page of <c>GET /bindings</c> (the benchmark times this very query).</summary>
    public static IQueryable<BindingDto> BindingsPage(ComplianceDb db, DateTime now, int? model, int? workload, int? customer, bool? active, int? after, int? limit)
    {
        var q = db.Bindings.AsNoTracking().Where(b => b.Id > (after ?? 0));
        if (model is { } m) q = q.Where(b => b.ModelId == m);
        if (workload is { } w) q = q.Where(b => b.WorkloadId == w);
        if (customer is { } c) q = q.Where(b => b.Workload!.CustomerId == c);
        if (active ?? true) q = q.Where(b => b.From <= now && (b.To == null || b.To > now));
        return q.OrderBy(b => b.Id).Take(ApiPages.Limit(limit)).Select(BindingProjection);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Binding, BindingDto>> BindingProjection = b =>
        new BindingDto(b.Id, b.ModelId, b.Model!.HostModelId, b.WorkloadId, b.Workload!.Name, b.Workload.CustomerId, b.Usage, b.Purpose, b.From, b.To);

    private static async Task<BindingDto> ReadAsync(IDbContextFactory<ComplianceDb> f, int id, CancellationToken ct)
    {
        await using var db = await f.CreateDbContextAsync(ct);
        return await db.Bindings.AsNoTracking().Where(b => b.Id == id).Select(BindingProjection).SingleAsync(ct);
    }
}
