using Compliance.Web.Auth;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Attestations;

public static class AttestationEndpoints
{
    /// <summary>
    /// <c>GET /attestations/{id}/pdf</c> and <c>/json</c>: any signed-in role, a customer only for its own
    /// organisation (404 otherwise, never 403, so ids don't leak). Every download is recorded.
    /// </summary>
    public static IEndpointRouteBuilder MapAttestationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/attestations").RequireAuthorization(Policies.AnyRole);
        group.MapGet("/{id:int}/pdf", (int id, HttpContext http, AttestationService service, CustomerScopes scopes, CancellationToken ct) =>
            DownloadAsync(id, "pdf", http, service, scopes, ct));
        group.MapGet("/{id:int}/json", (int id, HttpContext http, AttestationService service, CustomerScopes scopes, CancellationToken ct) =>
            DownloadAsync(id, "json", http, service, scopes, ct));
        // The diff of two attestations as JSON: the same answer as the page, 404 for an id the caller may not see.
        group.MapGet("/{a:int}/diff/{b:int}", async (int a, int b, HttpContext http, AttestationComparison comparison, CustomerScopes scopes, CancellationToken ct) =>
            DiffResult(await comparison.DiffAsync(a, b, await scopes.ForAsync(http.User, ct), ct)));
        return app;
    }

    /// <summary>A diff as JSON, or Problem Details naming the field (<c>b</c> of another customer) or 404.</summary>
    public static IResult DiffResult(Outcome<AttestationDiff> outcome) =>
        outcome.Succeeded ? Results.Json(outcome.Value, AttestationSnapshot.JsonOptions) : Api.ApiSetup.Problem(outcome);

    private static async Task<IResult> DownloadAsync(
        int id, string format, HttpContext http, AttestationService service, CustomerScopes scopes, CancellationToken ct)
    {
        // The shared scope: a principal holding Customer gets its own organisation's only, whatever else it holds.
        var scope = await scopes.ForAsync(http.User, ct);
        if (await service.GetFileAsync(id, format, scope, ct) is not { } file)
        {
            return Results.NotFound();
        }

        await service.RecordDownloadAsync(file.Id, http.User.ActorName(), format, ct);
        http.Response.SetNoStore();
        return Results.File(file.Content, file.ContentType, file.FileName);
    }
}
