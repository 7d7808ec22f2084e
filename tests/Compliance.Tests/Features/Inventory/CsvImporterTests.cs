using System.Text;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Inventory.Import;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Inventory;

public abstract class CsvImporterTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : CsvImporterTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : CsvImporterTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private CsvImporter _importer = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _importer = new CsvImporter(_database.Factory, new InventoryEvents());
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private Task<ImportReport> Import(ImportKind kind, string csv, string contentType = "text/csv", string file = "test.csv") =>
        _importer.ImportAsync(kind, file, contentType, Encoding.UTF8.GetBytes(csv), "officer");

    [Fact]
    public async Task A_valid_models_file_adds_new_models_and_updates_known_ones()
    {
        var report = await Import(ImportKind.Models, """
            provider,host_model_id,display_name,version,hosting,region,deprecated_on,retired_on
            Meta,meta.llama3-2-90b-instruct-v1:0,Llama 3.2 90B,3.2,AWS Bedrock,us-west-2,,
            OpenAI,gpt-4o,"GPT-4o, renamed",2024-11-20,Azure OpenAI Government,usgovvirginia,2026-12-01,
            """);

        Assert.True(report.Succeeded, string.Join("; ", report.Errors));
        Assert.Equal((1, 1), (report.Added, report.Updated));
        await using var db = _database.Create();
        Assert.Equal("GPT-4o, renamed", (await db.Models.SingleAsync(m => m.HostModelId == "gpt-4o")).DisplayName);
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Reason!.Contains("CSV import") && e.User == "officer"));
    }

    [Fact]
    public async Task Workloads_then_bindings_import_and_the_bindings_point_at_the_right_rows()
    {
        Assert.True((await Import(ImportKind.Workloads, """
            customer_code,name,impact_level,data_categories,owner,environment
            acme,Targeting Review Assistant,IL5,CUI;ITAR,R. Diaz,Production
            """)).Succeeded);
        var report = await Import(ImportKind.Bindings, """
            customer_code,workload,host_model_id,hosting,region,usage,purpose,from,to
            acme,Targeting Review Assistant,meta.llama3-70b-instruct-v1:0,AWS Bedrock GovCloud,us-gov-west-1,Agent,Summaries,2026-01-05,
            """);

        Assert.True(report.Succeeded, string.Join("; ", report.Errors));
        await using var db = _database.Create();
        var binding = await db.Bindings.Include(b => b.Workload).Include(b => b.Model).SingleAsync(b => b.Workload!.Name == "Targeting Review Assistant");
        Assert.Equal(DataCategories.CUI | DataCategories.ExportControlled, binding.Workload!.DataCategories);
        Assert.Equal("AWS Bedrock GovCloud", binding.Model!.Hosting);
        Assert.Equal(Usage.Agent, binding.Usage);
        Assert.Equal(new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), binding.From);
    }

    [Theory]
    [InlineData("customer_code,workload,host_model_id\nacme,Logistics Planner,no.such-model-v1:0", 2, "host_model_id", "Unknown model id")]
    [InlineData("customer_code,workload,host_model_id\nnobody,Logistics Planner,gpt-4o", 2, "workload", "no workload")]
    [InlineData("customer_code,workload,host_model_id,usage\nacme,Logistics Planner,gpt-4o,Telepathy", 2, "usage", "not one of")]
    [InlineData("customer_code,workload,host_model_id,from\nacme,Logistics Planner,gpt-4o,31/12/2026", 2, "from", "not a date")]
    [InlineData("customer_code,workload\nacme,Logistics Planner", 1, "host_model_id", "required column is missing")]
    [InlineData("customer_code,workload,host_model_id,colour\nacme,Logistics Planner,gpt-4o,blue", 1, "colour", "Unknown column")]
    [InlineData("customer_code,workload,host_model_id\nacme,Logistics Planner", 2, null, "fields; the header has")]
    [InlineData("customer_code,workload,host_model_id\nacme,\"Logistics Planner,gpt-4o", 2, null, "never closed")]
    [InlineData("customer_code,workload,host_model_id\nacme,,gpt-4o", 2, "workload", "required")]
    [InlineData("customer_code,workload,host_model_id\nacme,Logistics Planner,anthropic.claude-3-7-sonnet-20250219-v1:0", 2, "hosting", "several hostings")]
    public async Task A_bad_bindings_file_names_the_row_and_field_and_changes_nothing(string csv, int row, string? field, string message)
    {
        var before = await Counts();
        var report = await Import(ImportKind.Bindings, csv);

        Assert.False(report.Succeeded);
        var error = Assert.Single(report.Errors);
        Assert.Equal("test.csv", error.File);
        Assert.Equal(row, error.Row);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
        Assert.Equal(before, await Counts());
    }

    [Fact]
    public async Task One_bad_row_among_good_ones_changes_nothing()
    {
        var before = await Counts();
        var report = await Import(ImportKind.Workloads, """
            customer_code,name,impact_level,data_categories
            acme,Good One,IL4,CUI
            acme,Bad One,IL3,CUI
            acme,Good Two,IL5,Classified
            """);

        Assert.Equal([(3, "impact_level"), (4, "data_categories")], report.Errors.Select(e => (e.Row!.Value, e.Field!)));
        Assert.Contains("IL1 and IL3 are retired", report.Errors[0].Message);
        Assert.Equal(before, await Counts());
    }

    [Fact]
    public async Task Duplicate_keys_in_one_file_are_named_with_both_rows()
    {
        var report = await Import(ImportKind.Models, """
            provider,host_model_id,display_name,hosting,region
            Meta,meta.x-v1:0,X,AWS Bedrock,us-east-1
            Meta,meta.x-v1:0,X again,AWS Bedrock,us-east-1
            """);

        var error = Assert.Single(report.Errors);
        Assert.Equal(3, error.Row);
        Assert.Contains("row 2", error.Message);
    }

    [Fact]
    public async Task A_purpose_over_two_lines_imports_whole_and_an_error_after_it_names_the_line_its_row_starts_on()
    {
        var bad = await Import(ImportKind.Bindings,
            "customer_code,workload,host_model_id,usage,purpose\r\nacme,Logistics Planner,gpt-4o,Inference,\"Plans routes,\r\nthen loads\"\r\nnobody,Logistics Planner,gpt-4o,Inference,\r\n");
        Assert.Equal([(4, "workload")], bad.Errors.Select(e => (e.Row!.Value, e.Field!)));

        var good = await Import(ImportKind.Bindings,
            "\uFEFFcustomer_code,workload,host_model_id,usage,purpose\r\nacme,Logistics Planner,gpt-4o,Inference,\"Plans routes,\r\nthen loads\"\r\n");

        Assert.True(good.Succeeded, string.Join("; ", good.Errors));
        await using var db = _database.Create();
        Assert.True(await db.Bindings.AnyAsync(b => b.Purpose == "Plans routes,\r\nthen loads" && b.Workload!.Name == "Logistics Planner"));
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused_with_how_to_fix_it()
    {
        var latin1 = Encoding.Latin1.GetBytes("provider,host_model_id,display_name,hosting\nMistral,m,Modèle,Self-hosted\n");
        var report = await _importer.ImportAsync(ImportKind.Models, "latin1.csv", "text/csv", latin1, "officer");
        Assert.Contains("not UTF-8", Assert.Single(report.Errors).Message);
    }

    [Fact]
    public async Task A_wrong_content_type_is_refused()
    {
        var report = await Import(ImportKind.Models, "provider,host_model_id,display_name,hosting\n", "application/pdf");
        Assert.Contains("not CSV", Assert.Single(report.Errors).Message);
    }

    [Fact]
    public async Task An_oversized_file_is_refused_before_it_is_read()
    {
        var big = new byte[CsvImporter.MaxBytes + 1];
        var report = await _importer.ImportAsync(ImportKind.Models, "big.csv", "text/csv", big, "officer");
        Assert.Contains("limit", Assert.Single(report.Errors).Message);
    }

    private async Task<(int, int, int, int)> Counts()
    {
        await using var db = _database.Create();
        return (await db.Models.CountAsync(), await db.Workloads.CountAsync(), await db.Bindings.CountAsync(), await db.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task Workload_keys_import_and_a_key_given_twice_or_naming_another_workload_is_refused_naming_the_row()
    {
        await using (var db = _database.Create())
        {
            db.Customers.Add(new Customer { Code = "keyco", Name = "Key Co", Sector = Sector.Civilian });
            await db.SaveChangesAsync();
        }

        const string header = "customer_code,name,impact_level,key";
        var added = await Import(ImportKind.Workloads, $"{header}\nkeyco,Alpha,IL4,SYS-1\nkeyco,Beta,IL4,\n");
        Assert.True(added.Succeeded, string.Join("; ", added.Errors));

        var twice = await Import(ImportKind.Workloads, $"{header}\nkeyco,Gamma,IL4,SYS-9\nkeyco,Delta,IL4,SYS-9\n");
        var repeat = Assert.Single(twice.Errors);
        Assert.Equal((3, "key"), (repeat.Row, repeat.Field));
        Assert.Contains("row 2", repeat.Message);

        var taken = await Import(ImportKind.Workloads, $"{header}\nkeyco,Beta,IL4,SYS-1\n");
        var holder = Assert.Single(taken.Errors);
        Assert.Equal((2, "key"), (holder.Row, holder.Field));
        Assert.Contains("Alpha", holder.Message);

        var cleared = await Import(ImportKind.Workloads, "customer_code,name,impact_level,key\nkeyco,Alpha,IL4,\n");
        Assert.True(cleared.Succeeded);
        await using var after = _database.Create();
        Assert.Empty(await after.Workloads.Where(w => w.Key != null && w.Customer!.Code == "keyco").ToListAsync());
        Assert.False(await after.Workloads.AnyAsync(w => w.Name == "Gamma"));
    }

    [Fact]
    public async Task Workload_owner_emails_import_export_and_a_bad_address_is_refused_naming_the_row_and_field()
    {
        await using (var db = _database.Create())
        {
            db.Customers.Add(new Customer { Code = "mailco", Name = "Mail Co", Sector = Sector.Civilian });
            await db.SaveChangesAsync();
        }

        const string header = "customer_code,name,impact_level,owner_email";
        var added = await Import(ImportKind.Workloads, $"{header}\nmailco,Alpha,IL4,alpha.owner@agency.example.gov\nmailco,Beta,IL4,\n");
        Assert.True(added.Succeeded, string.Join("; ", added.Errors));

        var bad = await Import(ImportKind.Workloads, $"{header}\nmailco,Beta,IL4,not an address\n");
        var error = Assert.Single(bad.Errors);
        Assert.Equal((2, "owner_email"), (error.Row, error.Field));
        Assert.Contains("one address", error.Message);

        var output = new StringWriter();
        await using (var db = _database.Create())
        {
            await InventoryExport.WriteCsvAsync(db, ImportKind.Workloads, output);
        }

        Assert.StartsWith("customer_code,name,impact_level,data_categories,owner,environment,key,owner_email", output.ToString());
        Assert.Contains(output.ToString().Split('\n'), l => l.StartsWith("mailco,Alpha,", StringComparison.Ordinal)
            && l.TrimEnd('\r').EndsWith(",alpha.owner@agency.example.gov", StringComparison.Ordinal));
        await using var after = _database.Create();
        Assert.Null(await after.Workloads.Where(w => w.Name == "Beta" && w.Customer!.Code == "mailco").Select(w => w.OwnerEmail).SingleAsync());
    }
}
