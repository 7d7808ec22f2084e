using System.Text;
using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Inventory.CycloneDx;
using Json.Schema;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Inventory;

public sealed class CycloneDxTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly TestDatabase _empty = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        await _empty.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _empty.DisposeAsync();
    }

    [Fact]
    public async Task The_whole_inventory_exports_as_a_bom_that_the_cyclonedx_16_schema_accepts()
    {
        var json = await ExportAsync(customerId: null);

        var result = CycloneDx16.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(10)));
        using var doc = JsonDocument.Parse(json);
        await using var db = _database.Create();
        Assert.Equal(await db.Models.CountAsync(), doc.RootElement.GetProperty("components").GetArrayLength());
        Assert.Equal(await db.Workloads.CountAsync(), doc.RootElement.GetProperty("services").GetArrayLength());
        Assert.All(doc.RootElement.GetProperty("components").EnumerateArray(), c => Assert.Equal("machine-learning-model", c.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_workloads_owner_email_is_carried_as_its_aimc_owner_email_property()
    {
        int workloadId;
        await using (var db = _database.Create())
        {
            var workload = await db.Workloads.OrderBy(w => w.Id).FirstAsync();
            workload.OwnerEmail = "ledger.owner@agency.example.gov";
            await db.SaveChangesAsync();
            workloadId = workload.Id;
        }

        using var doc = JsonDocument.Parse(await ExportAsync(customerId: null));

        var service = doc.RootElement.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("bom-ref").GetString() == $"workload-{workloadId}");
        var property = service.GetProperty("properties").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "aimc:ownerEmail");
        Assert.Equal("ledger.owner@agency.example.gov", property.GetProperty("value").GetString());
        Assert.True(CycloneDx16.Evaluate(doc.RootElement).IsValid);
    }

    [Fact]
    public void The_schema_check_itself_rejects_a_malformed_bom()
    {
        using var bad = JsonDocument.Parse("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "robot", "name": "x" } ] }""");
        Assert.False(CycloneDx16.Evaluate(bad.RootElement).IsValid);
    }

    [Fact]
    public async Task One_customers_bom_holds_only_its_workloads_and_the_models_they_use()
    {
        int acme;
        await using (var db = _database.Create())
        {
            acme = await db.Customers.Where(c => c.Code == "acme").Select(c => c.Id).SingleAsync();
        }

        var json = await ExportAsync(acme);

        Assert.True(CycloneDx16.Evaluate(JsonDocument.Parse(json).RootElement).IsValid);
        Assert.DoesNotContain("Globex", json);
        Assert.Contains("Acme Defense Systems", json);
    }

    [Fact]
    public async Task An_exported_bom_imports_into_an_empty_inventory_with_the_same_models()
    {
        var json = await ExportAsync(customerId: null);
        var importer = new CycloneDxImporter(_empty.Factory, new InventoryEvents());

        var report = await importer.ImportModelsAsync("inventory.cdx.json", "application/vnd.cyclonedx+json", Encoding.UTF8.GetBytes(json), "officer");

        Assert.True(report.Succeeded, string.Join("; ", report.Errors));
        await using var source = _database.Create();
        await using var target = _empty.Create();
        var expected = await source.Models.OrderBy(m => m.HostModelId).ThenBy(m => m.Hosting)
            .Select(m => new { m.Provider, m.HostModelId, m.DisplayName, m.Version, m.Hosting, m.Region, m.DeprecatedOn, m.RetiredOn }).ToListAsync();
        var actual = await target.Models.OrderBy(m => m.HostModelId).ThenBy(m => m.Hosting)
            .Select(m => new { m.Provider, m.HostModelId, m.DisplayName, m.Version, m.Hosting, m.Region, m.DeprecatedOn, m.RetiredOn }).ToListAsync();
        Assert.Equal(expected, actual);

        // Importing the same BOM again updates, never duplicates.
        var again = await importer.ImportModelsAsync("inventory.cdx.json", "application/json", Encoding.UTF8.GetBytes(json), "officer");
        Assert.Equal((0, expected.Count), (again.Added, again.Updated));
    }

    [Fact]
    public async Task A_third_party_model_bom_without_our_properties_imports_as_self_hosted_models()
    {
        const string bom = """
            { "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
              "components": [ { "type": "machine-learning-model", "bom-ref": "m1", "publisher": "Mistral AI", "name": "mistralai/Mixtral-8x7B-Instruct-v0.1", "version": "0.1",
                                "modelCard": { "considerations": { "useCases": ["chat"] } } },
                              { "type": "library", "name": "torch" } ] }
            """;
        var report = await new CycloneDxImporter(_empty.Factory, new InventoryEvents())
            .ImportModelsAsync("hf.json", "application/json", Encoding.UTF8.GetBytes(bom), "officer");

        Assert.True(report.Succeeded, string.Join("; ", report.Errors));
        await using var db = _empty.Create();
        var model = await db.Models.SingleAsync();
        Assert.Equal(("Mistral AI", "Self-hosted", "mistralai/Mixtral-8x7B-Instruct-v0.1"), (model.Provider, model.Hosting, model.HostModelId));
    }

    [Theory]
    [InlineData("{ not json", "application/json", "not valid JSON")]
    [InlineData("""{ "bomFormat": "SPDX", "specVersion": "1.6" }""", "application/json", "bomFormat")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.2" }""", "application/json", "1.5 and 1.6")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [ { "type": "machine-learning-model", "bom-ref": "x", "name": "m" } ] }""", "application/json", "components[0] (x): Name the model's provider")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6", "components": [] }""", "application/json", "no machine-learning-model")]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.6" }""", "text/csv", "not JSON")]
    public async Task A_bad_bom_is_refused_with_what_is_wrong_and_changes_nothing(string content, string contentType, string message)
    {
        var report = await new CycloneDxImporter(_empty.Factory, new InventoryEvents())
            .ImportModelsAsync("bad.json", contentType, Encoding.UTF8.GetBytes(content), "officer");

        Assert.Contains(message, Assert.Single(report.Errors).Message);
        await using var db = _empty.Create();
        Assert.Equal(0, await db.Models.CountAsync());
    }

    private async Task<string> ExportAsync(int? customerId)
    {
        await using var db = _database.Create();
        using var stream = new MemoryStream();
        await CycloneDxExport.WriteAsync(db, stream, customerId, DateTime.UtcNow, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The official CycloneDX 1.6 schema with the schemas it references, loaded from the test project.</summary>
    private static readonly JsonSchema CycloneDx16 = LoadSchema();

    private static JsonSchema LoadSchema()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Schemas", "cyclonedx");
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        foreach (var name in new[] { "spdx", "jsf-0.82", "cryptography-defs" })
        {
            var uri = new Uri($"http://cyclonedx.org/schema/{name}.SNAPSHOT.schema.json");
            var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(folder, $"{name}.SNAPSHOT.schema.json")), options, uri);
            options.SchemaRegistry.Register(uri, schema);
        }

        return JsonSchema.FromText(File.ReadAllText(Path.Combine(folder, "bom-1.6.SNAPSHOT.schema.json")), options);
    }
}
