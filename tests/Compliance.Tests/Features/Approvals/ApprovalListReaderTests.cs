using System.Text;
using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Approvals;

/// <summary>The documented examples read as documented: the schema's example and the CSV example in import-formats.md.</summary>
public sealed class ApprovalListReaderTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private ListReferenceData _refs = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        await using var db = _database.Create();
        _refs = new ListReferenceData(
            await db.Models.Select(m => new ListReferenceData.ModelRef(m.Id, m.Provider, m.HostModelId, m.Hosting, m.Region)).ToListAsync(),
            await db.Customers.ToDictionaryAsync(c => c.Code, c => c.Id));
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private static string Docs(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", file)))
        {
            dir = dir.Parent;
        }

        return File.ReadAllText(Path.Combine(dir?.FullName ?? throw new FileNotFoundException(file), "docs", file));
    }

    [Fact]
    public void The_schema_example_reads_as_one_approval_and_one_vendor_restriction()
    {
        using var schema = JsonDocument.Parse(Docs("approval-list.schema.json"));
        var example = schema.RootElement.GetProperty("examples")[0].GetRawText();

        var (list, errors) = ApprovalListReader.Read(Encoding.UTF8.GetBytes(example), ApprovalListFormat.Json, "example", _refs);

        Assert.Empty(errors);
        var approval = Assert.Single(list!.Approvals);
        Assert.Equal(("EAB-2026-014", ImpactLevel.IL5, Usages.Inference | Usages.Agent), (approval.Key, approval.MaxImpactLevel, approval.Usages));
        Assert.Equal("AWS Bedrock GovCloud", _refs.Models.Single(m => m.Id == approval.ModelId).Hosting);
        Assert.Equal(("Meta", Sectors.Defense | Sectors.Intelligence), (Assert.Single(list.Restrictions).Provider, list.Restrictions[0].Sectors));
    }

    [Fact]
    public void The_documented_csv_example_reads_like_the_json_example()
    {
        var doc = Docs("import-formats.md");
        var start = doc.IndexOf("```csv\n", doc.IndexOf("## Approval lists", StringComparison.Ordinal), StringComparison.Ordinal) + 7;
        var csv = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];

        var (list, errors) = ApprovalListReader.Read(Encoding.UTF8.GetBytes(csv), ApprovalListFormat.Csv, "example.csv", _refs);

        Assert.Empty(errors);
        Assert.Equal(("EAB-2026-014", "EAB-R-003"), (Assert.Single(list!.Approvals).Key, Assert.Single(list.Restrictions).Key));
    }

    [Fact]
    public void A_model_id_on_several_hostings_without_a_hosting_is_ambiguous_and_says_which()
    {
        var json = """{ "schemaVersion": 1, "approvals": [ { "key": "k", "hostModelId": "anthropic.claude-3-7-sonnet-20250219-v1:0", "maxImpactLevel": "IL5", "validFrom": "2026-01-01", "colour": "red" } ] }""";

        var (list, errors) = ApprovalListReader.Read(Encoding.UTF8.GetBytes(json), ApprovalListFormat.Json, "l", _refs);

        Assert.Null(list);
        Assert.Equal(["colour", "hostModelId"], errors.Select(e => e.Field));
        Assert.Contains("several hostings (AWS Bedrock us-east-1; AWS Bedrock GovCloud us-gov-west-1); add hosting and region", errors[1].Message);
    }
}
