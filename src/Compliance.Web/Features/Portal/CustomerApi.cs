using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Api;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Portal;

/// <summary>One day of a posture trend as the API returns it (<see cref="PostureDay"/>).</summary>
public sealed record ApiPostureDay(
    DateTime Day, int Bindings, int Compliant, int CompliantWithWaivers, int NotCompliant, int OpenCritical, int OpenHigh, int OpenMedium,
    int OpenLow, int OpenWarnings, int WaivedFindings, int OverduePlans, int? CheckRunId);

/// <summary>A customer's (or, with no customer, the whole inventory's) daily posture over the last <see cref="Days"/> days, oldest first.</summary>
public sealed record ApiPostureTrend(string? Customer, int Days, IReadOnlyList<ApiPostureDay> Points);

/// <summary>
/// <c>/api/v1/attestations</c> (list, snapshot, PDF, diff), <c>/api/v1/posture</c> and <c>/api/v1/posture/trend</c>: the customer's own data for a
/// customer's token or machine client, any customer's for staff. An id of another organisation answers 404, like one that
/// does not exist. Every snapshot and PDF served is recorded in the access log and on the audit trail.
/// </summary>
public static class CustomerApi
{
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapCustomerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(ApiSetup.Prefix).WithTags("Attestations").RequireAuthorization(Policies.CustomerApi);
        api.MapGet("/attestations", ListAsync);
        api.MapGet("/attestations/{id:int}", (int id, HttpContext http, AttestationService service, CustomerScopes scopes, CancellationToken ct) =>
            FileAsync(id, "json", http, service, scopes, ct));
        api.MapGet("/attestations/{id:int}/pdf", (int id, HttpContext http, AttestationService service, CustomerScopes scopes, CancellationToken ct) =>
            FileAsync(id, "pdf", http, service, scopes, ct));
        api.MapGet("/attestations/{a:int}/diff/{b:int}", async (int a, int b, HttpContext http, AttestationComparison comparison, CustomerScopes scopes,
            CancellationToken ct) => AttestationEndpoints.DiffResult(await comparison.DiffAsync(a, b, await scopes.ForAsync(http.User, ct), ct)));
        api.MapGet("/posture", PostureAsync);
        api.MapGet("/posture/trend", TrendAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, AttestationService service, CustomerScopes scopes, IDbContextFactory<ComplianceDb> dbFactory,
        string? customer, int? after, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Field("limit", $"The limit is between 1 and {MaxLimit}.");
        }

        var scope = await scopes.ForAsync(http.User, ct);
        int? customerId = null;
        if (!string.IsNullOrWhiteSpace(customer))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            customerId = await db.Customers.VisibleTo(scope).Where(c => c.Code == customer).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
            if (customerId is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no customer {customer}.");
            }
        }

        // Newest first, keyset-paged by id in the database (ids grow with issue time); one row more says whether a next page exists.
        var take = limit ?? 50;
        var rows = await service.PageAsync(scope, customerId, after, take + 1, ct);
        var page = rows.Take(take).Select(r => ApiAttestation.Of(r, service)).ToList();
        http.Response.SetNoStore();
        return Results.Ok(new Page<ApiAttestation>(page, rows.Count > take ? page[^1].Id : null));
    }

    private static async Task<IResult> FileAsync(int id, string format, HttpContext http, AttestationService service, CustomerScopes scopes, CancellationToken ct)
    {
        var scope = await scopes.ForAsync(http.User, ct);
        if (await service.GetFileAsync(id, format, scope, ct) is not { } file)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no attestation {id}.");
        }

        await service.RecordDownloadAsync(file.Id, http.User.ActorName(), format, ct);
        http.Response.SetNoStore();
        // The snapshot exactly as issued and hashed (its SHA-256 is in the PDF): never re-serialised.
        return Results.File(file.Content, file.ContentType, format == "pdf" ? file.FileName : null);
    }

    private static async Task<IResult> PostureAsync(HttpContext http, CustomerScopes scopes, CustomerPostureQuery posture,
        IDbContextFactory<ComplianceDb> dbFactory, string? customer, CancellationToken ct)
    {
        var scope = await scopes.ForAsync(http.User, ct);
        int? customerId = scope.CustomerId;
        if (!string.IsNullOrWhiteSpace(customer))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            customerId = await db.Customers.VisibleTo(scope).Where(c => c.Code == customer).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
            if (customerId is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no customer {customer}.");
            }
        }
        else if (scope.IsUnrestricted)
        {
            return Field("customer", "Name the customer (its code) whose posture to read: ?customer=acme.");
        }

        if (customerId is null || await posture.LoadAsync(customerId.Value, ct) is not { } result)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "Your account is not linked to a customer.");
        }

        http.Response.SetNoStore();
        return Results.Json(result, AttestationSnapshot.JsonOptions);
    }

    /// <summary>
    /// The daily roll-up: a customer's token its own organisation's days (naming another answers 404); staff the whole
    /// inventory's, or one customer's with <c>?customer=</c>.
    /// </summary>
    private static async Task<IResult> TrendAsync(HttpContext http, CustomerScopes scopes, IDbContextFactory<ComplianceDb> dbFactory,
        TimeProvider clock, string? customer, int? days, CancellationToken ct)
    {
        var range = days ?? 30;
        if (range is < 1 or > PostureDay.RetentionDays)
        {
            return Field("days", $"The days are between 1 and {PostureDay.RetentionDays}.");
        }

        var scope = await scopes.ForAsync(http.User, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var named = string.IsNullOrWhiteSpace(customer) ? null
            : await db.Customers.VisibleTo(scope).Where(c => c.Code == customer).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
        if (!string.IsNullOrWhiteSpace(customer) && named is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no customer {customer}.");
        }

        if (Dashboard.PostureTrends.CustomerOf(scope, named) is not { } id)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "Your account is not linked to a customer.");
        }

        var code = id == PostureDay.AllCustomers ? null : await db.Customers.Where(c => c.Id == id).Select(c => c.Code).SingleAsync(ct);
        var rows = await Dashboard.PostureTrends.LoadAsync(db, id, range, clock.GetUtcNow().UtcDateTime.Date, ct);
        http.Response.SetNoStore();
        return Results.Ok(new ApiPostureTrend(code, range, [.. rows.Select(d => new ApiPostureDay(d.Day, d.Bindings, d.Compliant, d.CompliantWithWaivers,
            d.NotCompliant, d.OpenCritical, d.OpenHigh, d.OpenMedium, d.OpenLow, d.OpenWarnings, d.WaivedFindings, d.OverduePlans, d.CheckRunId))]));
    }

    private static IResult Field(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid.");
}
