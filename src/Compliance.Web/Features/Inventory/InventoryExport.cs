using System.Text;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Inventory.Import;
using Compliance.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Inventory;

/// <summary>CSV exports in the import format, streamed row by row so the inventory is never buffered.</summary>
public static class InventoryExport
{
    public static WebApplication MapInventoryExport(this WebApplication app)
    {
        var group = app.MapGroup("/inventory/export").RequireAuthorization(Policies.Staff).ExcludeFromDescription();
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            var name = kind.ToString().ToLowerInvariant();
            group.MapGet($"/{name}.csv", async (IDbContextFactory<ComplianceDb> f, HttpContext http) =>
            {
                http.Response.SetNoStore();
                http.Response.ContentType = "text/csv; charset=utf-8";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}-{DateTime.UtcNow:yyyyMMdd}.csv\"";
                await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
                await using var db = await f.CreateDbContextAsync(http.RequestAborted);
                await WriteCsvAsync(db, kind, writer, http.RequestAborted);
            });
        }

        group.MapGet("/inventory.cdx.json", (IDbContextFactory<ComplianceDb> f, TimeProvider clock, HttpContext http, int? customer) =>
            WriteCycloneDxAsync(f, clock, http, customer, asDownload: true));
        return app;
    }

    /// <summary>
    /// The inventory (or one customer's) as a CycloneDX 1.6 AI-BOM, streamed: the page's download and the API's
    /// <c>GET /api/v1/inventory.cdx.json</c>. An unknown customer is a 404 problem.
    /// </summary>
    public static async Task<IResult> WriteCycloneDxAsync(IDbContextFactory<ComplianceDb> f, TimeProvider clock, HttpContext http, int? customer, bool asDownload)
    {
        await using var db = await f.CreateDbContextAsync(http.RequestAborted);
        if (customer is { } id && !await db.Customers.AnyAsync(c => c.Id == id, http.RequestAborted))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no customer {id}.");
        }

        http.Response.ContentType = "application/vnd.cyclonedx+json; version=1.6";
        if (asDownload)
        {
            http.Response.SetNoStore();
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"ai-bom{(customer is null ? "" : $"-customer-{customer}")}-{DateTime.UtcNow:yyyyMMdd}.cdx.json\"";
        }

        await CycloneDx.CycloneDxExport.WriteAsync(db, http.Response.Body, customer, clock.GetUtcNow().UtcDateTime, http.RequestAborted);
        return Results.Empty;
    }

    // Whole days as dates; instants (a binding moved at 14:05) keep their time so an export imports back exactly.
    private static string Day(DateTime? d) =>
        d is not { } v ? "" : v.TimeOfDay == TimeSpan.Zero ? v.ToString("yyyy-MM-dd") : v.ToString("yyyy-MM-ddTHH:mm:ssZ");

    /// <summary>Writes models, workloads or active bindings in the import format, row by row.</summary>
    public static async Task WriteCsvAsync(ComplianceDb db, ImportKind kind, TextWriter writer, CancellationToken ct = default)
    {
        await writer.WriteLineAsync(string.Join(",", CsvImporter.Columns[kind]));
        Task Write(params string[] fields) => writer.WriteLineAsync(Csv.Line(fields));
        switch (kind)
        {
            case ImportKind.Models:
                await foreach (var m in db.Models.AsNoTracking().OrderBy(m => m.Id).AsAsyncEnumerable().WithCancellation(ct))
                {
                    await Write(m.Provider, m.HostModelId, m.DisplayName, m.Version, m.Hosting, m.Region, Day(m.DeprecatedOn), Day(m.RetiredOn));
                }

                break;
            case ImportKind.Workloads:
                await foreach (var w in db.Workloads.AsNoTracking().OrderBy(w => w.Id)
                                   .Select(w => new { w.Customer!.Code, w.Name, w.ImpactLevel, w.DataCategories, w.Owner, w.Environment, w.Key, w.OwnerEmail })
                                   .AsAsyncEnumerable().WithCancellation(ct))
                {
                    await Write(w.Code, w.Name, w.ImpactLevel.ToString(), string.Join(";", w.DataCategories.Members()), w.Owner, w.Environment, w.Key ?? "", w.OwnerEmail ?? "");
                }

                break;
            default:
                await foreach (var b in db.Bindings.AsNoTracking().Where(b => b.To == null).OrderBy(b => b.Id)
                                   .Select(b => new { b.Workload!.Customer!.Code, Workload = b.Workload.Name, b.Model!.HostModelId, b.Model.Hosting, b.Model.Region, b.Usage, b.Purpose, b.From, b.To })
                                   .AsAsyncEnumerable().WithCancellation(ct))
                {
                    await Write(b.Code, b.Workload, b.HostModelId, b.Hosting, b.Region, b.Usage.ToString(), b.Purpose, Day(b.From), Day(b.To));
                }

                break;
        }
    }
}
