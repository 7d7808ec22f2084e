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
        _refs = await ApprovalListReaderTests.RefsAsync(_database);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    /// <summary>What a list may name: the demo inventory's models and customer codes.</summary>
    internal static async Task<ListReferenceData> RefsAsync(TestDatabase database)
    {
        await using var db = database.Create();
        return new ListReferenceData(
            await db.Models.Select(m => new ListReferenceData.ModelRef(m.Id, m.Provider, m.HostModelId, m.Hosting, m.Region)).ToListAsync(),
            await db.Customers.ToDictionaryAsync(c => c.Code, c => c.Id));
    }

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
        Assert.Equal((Usages.CodingAssistant, "AWS Bedrock"), (list.Restrictions[0].Usages, Assert.Single(list.Restrictions[0].Hostings)));
    }

    [Fact]
    public void Usage_and_hosting_scopes_read_from_json_and_an_unknown_hosting_is_named()
    {
        var json = """
            { "schemaVersion": 1,
              "approvals": [ { "key": "a", "hostModelId": "gpt-4o-mini", "maxImpactLevel": "IL4", "validFrom": "2026-01-01", "hostings": ["azure openai government"] } ],
              "restrictions": [ { "key": "r", "provider": "Anthropic", "effectiveFrom": "2026-01-01", "transitionDeadline": "2026-02-01", "reason": "Outage." } ] }
            """;
        var (list, errors) = ApprovalListReader.Read(Encoding.UTF8.GetBytes(json), ApprovalListFormat.Json, "l", _refs);

        Assert.Empty(errors);
        Assert.Equal(["Azure OpenAI Government"], list!.Approvals[0].Hostings);
        Assert.Equal((Usages.All, 0), (list.Restrictions[0].Usages, list.Restrictions[0].Hostings.Count));

        var (none, problems) = ApprovalListReader.Read(Encoding.UTF8.GetBytes(json.Replace("azure openai government", "Azure Commercial")), ApprovalListFormat.Json, "l", _refs);
        Assert.Null(none);
        Assert.Equal("hostings", Assert.Single(problems).Field);
        Assert.Contains("'Azure Commercial'", problems[0].Message);
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
        Assert.Equal((Usages.CodingAssistant, "AWS Bedrock", ImpactLevel.IL4), (list.Restrictions[0].Usages, Assert.Single(list.Restrictions[0].Hostings), list.Restrictions[0].MinImpactLevel));
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

/// <summary>The app accepts what the schema it publishes accepts: the schema checks the shape, the reader the meaning.</summary>
public sealed class ApprovalListSchemaTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private ListReferenceData _refs = default!;

    private const string Valid = """{ "key": "k", "hostModelId": "gpt-4o-mini", "maxImpactLevel": "IL4", "validFrom": "2026-01-01" }""";

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _refs = await ApprovalListReaderTests.RefsAsync(_database);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private (ApprovalList? List, IReadOnlyList<Compliance.Web.Features.Inventory.Import.ImportError> Errors) Read(string json) =>
        ApprovalListReader.Read(Encoding.UTF8.GetBytes(json), ApprovalListFormat.Json, "list.json", _refs);

    private static Json.Schema.JsonSchema Published()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "approval-list.schema.json")))
        {
            dir = dir.Parent;
        }

        return Json.Schema.JsonSchema.FromText(File.ReadAllText(Path.Combine(dir!.FullName, "docs", "approval-list.schema.json")), new Json.Schema.BuildOptions { SchemaRegistry = new Json.Schema.SchemaRegistry() });
    }

    [Fact]
    public void A_valid_entry_is_accepted_by_the_schema_and_the_reader()
    {
        var json = $$"""{ "schemaVersion": 1, "approvals": [ {{Valid}} ] }""";

        Assert.True(Published().Evaluate(JsonDocument.Parse(json).RootElement).IsValid);
        Assert.Empty(Read(json).Errors);
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_named_once_for_its_shape()
    {
        var (list, errors) = Read("""{ "schemaVersion": 1, "approvals": [ { "key": 5, "hostModelId": "gpt-4o-mini", "maxImpactLevel": "IL4", "validFrom": "2026-01-01", "usages": "Agent" } ] }""");

        Assert.Null(list);
        Assert.Equal(["key", "usages"], errors.Select(e => e.Field));
        Assert.Contains("approvals[0] field 'key' must be a string", errors[0].Message);
        Assert.Contains("field 'usages' must be an array of strings", errors[1].Message);
    }

    [Fact]
    public void Unknown_fields_and_entries_that_are_not_objects_are_refused_where_they_are()
    {
        var (list, errors) = Read($$"""{ "schemaVersion": 1, "owner": "x", "restrictions": [ 7 ], "approvals": [ {{Valid.Replace("\"key\": \"k\"", "\"key\": \"k\", \"colour\": { \"deep\": 1 }")}} ] }""");

        Assert.Null(list);
        Assert.Contains(errors, e => e.Field == "owner" && e.Message.Contains("Unknown top-level field 'owner'"));
        Assert.Contains(errors, e => e.Message.Contains("restrictions[0] must be an object."));
        Assert.Contains(errors, e => e.Field == "colour" && e.Message.Contains("approval 'k' (approvals[0]) has an unknown field 'colour'; approval entries have key, hostModelId"));
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "a level the schema does not list", Valid.Replace("IL4", "IL3") },
        { "a date that is not YYYY-MM-DD", Valid.Replace("2026-01-01", "01/02/2026") },
        { "no key", Valid.Replace("\"key\": \"k\", ", "") },
        { "an empty usage list", Valid.Replace("\"validFrom\"", "\"usages\": [], \"validFrom\"") },
        { "an unknown sector", Valid.Replace("\"validFrom\"", "\"sectors\": [\"Space\"], \"validFrom\"") },
        { "conditions over 2,000 characters", Valid.Replace("\"validFrom\"", $"\"conditions\": \"{new string('c', 2001)}\", \"validFrom\"") },
        { "a justification over 2,000 characters", Valid.Replace("\"validFrom\"", $"\"justification\": \"{new string('j', 2001)}\", \"validFrom\"") },
        { "a key over 200 characters", Valid.Replace("\"k\"", $"\"{new string('k', 201)}\"") },
        { "a number where text belongs", Valid.Replace("\"IL4\"", "4") },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void What_the_published_schema_refuses_the_reader_refuses(string what, string entry)
    {
        var json = $$"""{ "schemaVersion": 1, "approvals": [ {{entry}} ] }""";

        Assert.False(Published().Evaluate(JsonDocument.Parse(json).RootElement).IsValid, $"the schema accepts {what}");
        Assert.NotEmpty(Read(json).Errors);
    }
}
