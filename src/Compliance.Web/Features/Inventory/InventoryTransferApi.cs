using System.Text;
using Compliance.Data;
using Compliance.Web.Api;
using Compliance.Web.Auth;
using Compliance.Web.Features.Inventory.CycloneDx;
using Compliance.Web.Features.Inventory.Import;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Inventory;

/// <summary>
/// Imports and exports through the API, with the importers and writers the pages use: CSV of models, workloads and
/// bindings and the CycloneDX 1.6 AI-BOM, both directions. An import is all-or-nothing in one transaction and a
/// refused one answers 400 with the same row-and-field errors the import page shows. Exports for every API caller,
/// imports for compliance officers and machine clients with the inventory:write scope.
/// </summary>
public static class InventoryTransferApi
{
    public static WebApplication MapInventoryTransferApi(this WebApplication app)
    {
        var read = app.MapGroup(ApiSetup.Prefix).WithTags("Import and export").RequireAuthorization(Policies.Api);
        var import = app.MapGroup($"{ApiSetup.Prefix}/import").WithTags("Import and export").RequireAuthorization(Policies.ApiWrite);

        read.MapGet("/export/{kind}.csv", async (string kind, IDbContextFactory<ComplianceDb> f, HttpContext http) =>
        {
            if (!TryKind(kind, out var what))
            {
                return UnknownKind(kind);
            }

            http.Response.ContentType = "text/csv; charset=utf-8";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
            await using var db = await f.CreateDbContextAsync(http.RequestAborted);
            await InventoryExport.WriteCsvAsync(db, what, writer, http.RequestAborted);
            return Results.Empty;
        }).Produces(StatusCodes.Status200OK, contentType: "text/csv").WithName("ExportCsv")
            .WithSummary("Models, workloads or active bindings as CSV in the import format (export → edit → import round-trips).");

        read.MapGet("/inventory.cdx.json", (IDbContextFactory<ComplianceDb> f, TimeProvider clock, HttpContext http, int? customer) =>
            InventoryExport.WriteCycloneDxAsync(f, clock, http, customer, asDownload: false))
            .Produces(StatusCodes.Status200OK, contentType: "application/vnd.cyclonedx+json").WithName("ExportCycloneDx")
            .WithSummary("The inventory (or one customer's, ?customer=) as a CycloneDX 1.6 AI-BOM.");

        import.MapPost("/{kind}.csv", async (string kind, CsvImporter importer, HttpContext http) =>
        {
            if (!TryKind(kind, out var what))
            {
                return UnknownKind(kind);
            }

            return TooLarge(http, CsvImporter.MaxBytes) ?? Answer(await importer.ImportAsync(what, $"{kind}.csv", http.Request.ContentType,
                http.Request.Body, http.User.ActorName(), null, http.RequestAborted));
        }).Accepts<string>("text/csv").WithName("ImportCsv")
            .WithSummary("Import a CSV of models, workloads or bindings: all rows or none; errors name the row and field.");

        import.MapPost("/models.cdx.json", async (CycloneDxImporter importer, HttpContext http) =>
            TooLarge(http, CycloneDxImporter.MaxBytes) ?? Answer(await importer.ImportModelsAsync("models.cdx.json", http.Request.ContentType,
                http.Request.Body, http.User.ActorName(), http.RequestAborted)))
            .Accepts<string>("application/vnd.cyclonedx+json").WithName("ImportCycloneDx")
            .WithSummary("Import the models of a CycloneDX 1.6 BOM: all or none.");

        return app;
    }

    private static bool TryKind(string kind, out ImportKind what) =>
        Enum.TryParse(kind, ignoreCase: true, out what) && Enum.IsDefined(what) && !int.TryParse(kind, out _);

    private static IResult UnknownKind(string kind) => ApiPages.NotFound(
        $"There is no '{kind}' CSV: use {string.Join(", ", Enum.GetNames<ImportKind>().Select(n => n.ToLowerInvariant() + ".csv"))}.");

    /// <summary>A body over the importer's limit is refused before it is read (413), as the page refuses a large file.</summary>
    private static IResult? TooLarge(HttpContext http, long limit)
    {
        if (http.Request.ContentLength > limit)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large",
                detail: $"The limit is {limit / 1024 / 1024} MB; split the file into smaller ones.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        return null;
    }

    private static IResult Answer(ImportReport report) => report.Succeeded
        ? Results.Ok(report)
        : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The file was not imported; nothing was changed.",
            detail: string.Join("\n", report.Errors.Take(20).Select(e => e.ToString())),
            extensions: new Dictionary<string, object?> { ["errors"] = report.Errors });
}
