using System.Globalization;
using Compliance.Web.Auth;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Evidence;

public static class EvidenceEndpoints
{
    /// <summary>
    /// <c>GET /evidence/package?customer={id}&amp;from=YYYY-MM-DD&amp;until=YYYY-MM-DD</c> (customer absent: the whole
    /// inventory): the ZIP, for compliance officers and auditors (<see cref="Policies.EvidenceReader"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapEvidenceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/evidence/package", async (int? customer, string? from, string? until, HttpContext http, EvidencePackageService service, CancellationToken ct) =>
        {
            if (!TryDay(from, out var start) || !TryDay(until, out var end))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "from and until are required dates",
                    detail: "Give the period as from=YYYY-MM-DD&until=YYYY-MM-DD (until exclusive).");
            }

            var file = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            var outcome = await service.BuildAsync(http.User, new EvidenceScope(customer, start, end), file, ct);
            if (!outcome.Succeeded)
            {
                await file.DisposeAsync();
                return outcome.NotFound ? Results.NotFound()
                    : outcome.Forbidden ? Results.Forbid()
                    : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The evidence package could not be built", detail: outcome.Message,
                        extensions: new Dictionary<string, object?> { ["errors"] = outcome.ErrorsByField() });
            }

            http.Response.SetNoStore();
            var name = $"evidence-{(customer is { } c ? $"customer-{c}" : "inventory")}-{start:yyyyMMdd}-{end:yyyyMMdd}.zip";
            return Results.File(file, "application/zip", name);
        }).RequireAuthorization(Policies.EvidenceReader);
        return app;
    }

    private static bool TryDay(string? text, out DateTime day) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out day);
}
