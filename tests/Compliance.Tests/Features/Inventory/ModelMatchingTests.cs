using System.Text;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Approvals;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Inventory.CycloneDx;
using Compliance.Web.Features.Inventory.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Compliance.Tests.Features.Inventory;

/// <summary>
/// "The model named by host id, hosting and region" (<see cref="Model.Matching"/>, ADR 014): every path that finds a
/// model by name finds the demo's <c>gpt-4o-mini</c> on Azure OpenAI Government (usgovvirginia) however a caller cases
/// it — the database filter on each engine, the inventory's duplicate check, the CycloneDX import, approval lists and the
/// decision API.
/// </summary>
public abstract class ModelMatchingTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ModelMatchingTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ModelMatchingTests(DatabaseProvider.PostgreSql);

    private const string Shouted = "GPT-4O-Mini";
    private const string Hosting = "AZURE OPENAI GOVERNMENT";
    private const string Region = "USGovVirginia";

    private readonly TestDatabase _database = new(provider);
    private int _modelId;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        await using var db = _database.Create();
        _modelId = await db.Models.Where(m => m.HostModelId == "gpt-4o-mini" && m.Region == "usgovvirginia").Select(m => m.Id).SingleAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task The_database_filter_finds_the_model_whatever_the_case_and_only_it()
    {
        await using var db = _database.Create();

        Assert.Equal([_modelId], await db.Models.Where(Model.Matching(Shouted, Hosting, Region)).Select(m => m.Id).ToListAsync());
        Assert.Contains(_modelId, await db.Models.Where(Model.Matching(" gpt-4o-MINI ")).Select(m => m.Id).ToListAsync());
        Assert.Empty(await db.Models.Where(Model.Matching(Shouted, Hosting, "usgovarizona")).ToListAsync());
        Assert.Empty(await db.Models.Where(Model.Matching("gpt-4o-min")).ToListAsync());
    }

    [Fact]
    public async Task The_inventory_refuses_the_same_model_in_other_case()
    {
        var inventory = new InventoryService(_database.Factory, new InventoryEvents(), TimeProvider.System);

        var outcome = await inventory.SaveModelAsync("officer",
            new Model { Provider = "OpenAI", HostModelId = Shouted, DisplayName = "GPT-4o mini", Hosting = Hosting, Region = Region });

        Assert.Contains(outcome.Errors, e => e.Field == "hostModelId" && e.Message.Contains("already in the inventory", StringComparison.Ordinal));
        await using var db = _database.Create();
        Assert.Equal(1, await db.Models.CountAsync(Model.Matching(Shouted, Hosting, Region)));
    }

    [Fact]
    public async Task A_cyclonedx_import_in_other_case_updates_the_model_instead_of_adding_one()
    {
        var bom = $$"""
            { "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
              "components": [ { "type": "machine-learning-model", "name": "GPT-4o mini", "version": "2024-07-18", "supplier": { "name": "OpenAI" },
                                "properties": [ { "name": "aimc:hostModelId", "value": "{{Shouted}}" }, { "name": "aimc:hosting", "value": "{{Hosting}}" },
                                                { "name": "aimc:region", "value": "{{Region}}" } ] } ] }
            """;
        await using (var before = _database.Create())
        {
            var count = await before.Models.CountAsync();
            var report = await new CycloneDxImporter(_database.Factory, new InventoryEvents())
                .ImportModelsAsync("bom.json", "application/json", Encoding.UTF8.GetBytes(bom), "officer");

            Assert.True(report.Succeeded, string.Join("; ", report.Errors));
            Assert.Equal((0, 1), (report.Added, report.Updated));
            Assert.Equal(count, await before.Models.CountAsync());
        }
    }

    [Fact]
    public async Task A_csv_models_import_in_other_case_updates_the_model_and_a_bindings_import_resolves_it()
    {
        var importer = new CsvImporter(_database.Factory, new InventoryEvents());
        await using var db = _database.Create();
        var models = await db.Models.CountAsync();

        var modelsReport = await importer.ImportAsync(ImportKind.Models, "models.csv", "text/csv", Encoding.UTF8.GetBytes(
            $"provider,host_model_id,display_name,hosting,region\nOpenAI,{Shouted},GPT-4o mini (renamed),{Hosting},{Region}\n"), "officer");
        var bindingsReport = await importer.ImportAsync(ImportKind.Bindings, "bindings.csv", "text/csv", Encoding.UTF8.GetBytes(
            $"customer_code,workload,host_model_id,hosting,region,usage\nacme,Logistics Planner,{Shouted},{Hosting},{Region},Agent\n"), "officer");

        Assert.True(modelsReport.Succeeded, string.Join("; ", modelsReport.Errors));
        Assert.Equal((0, 1), (modelsReport.Added, modelsReport.Updated));
        Assert.Equal(models, await db.Models.CountAsync());
        Assert.Equal("GPT-4o mini (renamed)", await db.Models.Where(m => m.Id == _modelId).Select(m => m.DisplayName).SingleAsync());
        Assert.True(bindingsReport.Succeeded, string.Join("; ", bindingsReport.Errors));
        Assert.True(await db.Bindings.AnyAsync(b => b.ModelId == _modelId && b.Usage == Usage.Agent && b.Workload!.Name == "Logistics Planner"));
    }

    [Fact]
    public async Task An_approval_list_naming_the_model_in_other_case_resolves_it()
    {
        var json = $$"""
            { "schemaVersion": 1,
              "approvals": [ { "key": "a", "hostModelId": "{{Shouted}}", "hosting": "{{Hosting}}", "region": "{{Region}}", "maxImpactLevel": "IL4", "validFrom": "2026-01-01" } ] }
            """;
        var refs = await Approvals.ApprovalListReaderTests.RefsAsync(_database);

        var (list, errors) = ApprovalListReader.Read(Encoding.UTF8.GetBytes(json), ApprovalListFormat.Json, "l", refs);

        Assert.Empty(errors);
        Assert.Equal(_modelId, Assert.Single(list!.Approvals).ModelId);
    }

    [Fact]
    public async Task The_decision_api_finds_the_model_in_other_case()
    {
        var clock = TimeProvider.System;
        using var decisions = new DecisionService(new ReferenceDataCache(_database.Factory, clock), _database.Options, Options.Create(new CheckOptions()), clock);

        var match = await decisions.FindModelAsync(Shouted, CancellationToken.None);

        Assert.Equal(_modelId, match.Model?.Id);
    }
}
