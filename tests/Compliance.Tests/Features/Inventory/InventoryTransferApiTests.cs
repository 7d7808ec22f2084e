using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Compliance.Data;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Inventory;

/// <summary>CSV and CycloneDX through <c>/api/v1</c>, both directions: the same importers, all-or-nothing, the same row errors.</summary>
public sealed class InventoryTransferApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private async Task<int> WorkloadCountAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        return await db.Workloads.CountAsync();
    }

    [Fact]
    public async Task A_pipeline_exports_each_csv_in_the_import_format_and_imports_but_an_auditor_may_not_import()
    {
        using var pipeline = app.As("pipeline-1", Roles.Pipeline);
        using var auditor = app.As("auditor-1", Roles.Auditor);
        foreach (var (kind, header) in new[] { ("models", "provider,host_model_id"), ("workloads", "customer_code,name"), ("bindings", "customer_code,workload") })
        {
            var export = await pipeline.GetAsync($"/api/v1/export/{kind}.csv");
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.Equal("text/csv", export.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith(header, await export.Content.ReadAsStringAsync());
        }

        // Imports are inventory writes: officers and machine clients (an app-held one needs the inventory:write scope).
        Assert.Equal(HttpStatusCode.OK, (await pipeline.PostAsync("/api/v1/import/workloads.csv", Csv("customer_code,name,impact_level\n"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync("/api/v1/import/workloads.csv", Csv("customer_code,name,impact_level\n"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pipeline.GetAsync("/api/v1/export/findings.csv")).StatusCode);
    }

    [Fact]
    public async Task A_file_with_one_bad_row_is_refused_naming_the_row_and_field_and_adds_nothing()
    {
        using var officer = app.As("officer-1", Roles.ComplianceOfficer);
        var before = await WorkloadCountAsync();

        var response = await officer.PostAsync("/api/v1/import/workloads.csv", Csv(
            "customer_code,name,impact_level,data_categories,owner,environment\nacme,API import 1,IL4,Cui,ops,Production\nacme,API import 2,IL9,Cui,ops,Production\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = problem.GetProperty("errors")[0];
        Assert.Equal((3, "impact_level"), (error.GetProperty("row").GetInt32(), error.GetProperty("field").GetString()));
        Assert.Equal(before, await WorkloadCountAsync());

        var fixedFile = await officer.PostAsync("/api/v1/import/workloads.csv", Csv(
            "customer_code,name,impact_level,data_categories,owner,environment\nacme,API import 1,IL4,Cui,ops,Production\nacme,API import 2,IL5,Cui,ops,Production\n"));
        Assert.Equal(HttpStatusCode.OK, fixedFile.StatusCode);
        Assert.Equal(2, (await fixedFile.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added").GetInt32());
        Assert.Equal(before + 2, await WorkloadCountAsync());
    }

    [Fact]
    public async Task The_ai_bom_exported_through_the_api_imports_back_through_it()
    {
        using var officer = app.As("officer-1", Roles.ComplianceOfficer);
        var bom = await officer.GetAsync("/api/v1/inventory.cdx.json");
        Assert.Equal(HttpStatusCode.OK, bom.StatusCode);
        var text = await bom.Content.ReadAsStringAsync();
        Assert.Equal("CycloneDX", JsonDocument.Parse(text).RootElement.GetProperty("bomFormat").GetString());

        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.cyclonedx+json");
        var imported = await officer.PostAsync("/api/v1/import/models.cdx.json", content);

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(0, (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync("/api/v1/inventory.cdx.json?customer=987654")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_ai_bom_and_the_imports()
    {
        using var anonymous = app.CreateClient();
        var paths = (await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/inventory.cdx.json", out _));
        Assert.True(paths.TryGetProperty("/api/v1/import/{kind}.csv", out _));
        Assert.True(paths.TryGetProperty("/api/v1/findings", out _));
        Assert.True(paths.TryGetProperty("/api/v1/transition-plans/{id}/complete", out _));
    }
}
