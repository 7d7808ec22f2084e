using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Tests.Features.Approvals;

public abstract class ApprovalListSyncJobTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ApprovalListSyncJobTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ApprovalListSyncJobTests(DatabaseProvider.PostgreSql);

    private const string ListName = "Enterprise AI board";
    private readonly TestDatabase _database = new(provider);
    private ListServer _server = default!;
    private ServiceProvider _services = default!;
    private ApprovalListSyncJob _job = default!;
    private readonly ApprovalEvents _events = new();
    private readonly List<string> _changes = [];
    private string _modelA = "", _modelB = "", _modelC = "";
    private int _modelAId;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _server = await ListServer.StartAsync();
        var services = new ServiceCollection().AddLogging();
        SourceServices.AllowLoopbackLists(services);
        services.AddApprovalListHttpClient(o => o.Retry.Delay = TimeSpan.FromMilliseconds(20));
        _services = services.BuildServiceProvider();
        _events.Changed += _changes.Add;
        _job = new ApprovalListSyncJob(_database.Factory, _services.GetRequiredService<IHttpClientFactory>(), _events, TimeProvider.System,
            NullLogger<ApprovalListSyncJob>.Instance);
        await using var db = _database.Create();
        // Models whose host id names exactly one inventory entry.
        var unique = await db.Models.GroupBy(m => m.HostModelId).Where(g => g.Count() == 1).Select(g => g.Key).OrderBy(k => k).Take(3).ToListAsync();
        (_modelA, _modelB, _modelC) = (unique[0], unique[1], unique[2]);
        _modelAId = await db.Models.Where(m => m.HostModelId == _modelA).Select(m => m.Id).SingleAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static string ApprovalJson(string key, string model, string level = "IL4", string until = "2027-06-30") =>
        $$"""{ "key": "{{key}}", "hostModelId": "{{model}}", "maxImpactLevel": "{{level}}", "dataCategories": ["CUI", "PII"], "usages": ["Inference"], "sectors": ["Defense"], "customers": ["acme"], "validFrom": "2026-01-01", "validUntil": "{{until}}", "justification": "Board decision" }""";

    private static string RestrictionJson(string key, string provider) =>
        $$"""{ "key": "{{key}}", "provider": "{{provider}}", "sectors": ["Defense", "Intelligence"], "minImpactLevel": "IL4", "effectiveFrom": "2026-02-01", "transitionDeadline": "2026-03-01", "reason": "Vendor under review" }""";

    private static string List(IEnumerable<string> approvals, IEnumerable<string> restrictions) =>
        $$"""{ "schemaVersion": 1, "publisher": "Enterprise AI board", "approvals": [{{string.Join(",", approvals)}}], "restrictions": [{{string.Join(",", restrictions)}}] }""";

    private string FirstList => List([ApprovalJson("A-1", _modelA), ApprovalJson("A-2", _modelB)], [RestrictionJson("R-1", "Meta")]);

    private async Task<int> AddSource(string? url, ApprovalListFormat format = ApprovalListFormat.Json, byte[]? uploaded = null)
    {
        await using var db = _database.Create("admin");
        // Requested by admin and approved by admin2, as ApprovalListSourceService leaves it (tested there).
        var source = new ApprovalListSource
        {
            Name = ListName, Format = format, Url = url, UploadedContent = uploaded, CreatedBy = "admin",
            Review = SourceReview.Approved, RequestedBy = "admin", ReviewedBy = "admin2",
        };
        db.ApprovalListSources.Add(source);
        await db.SaveChangesAsync();
        return source.Id;
    }

    /// <summary>Syncs, then accepts what the sync staged as the second administrator; returns the acceptance's sync row (or the sync's when nothing was staged).</summary>
    private async Task<ApprovalListSync> SyncAndAccept(int sourceId)
    {
        var sync = await _job.SyncAsync(sourceId, CancellationToken.None);
        if (sync.RevisionId is not { } revisionId)
        {
            return sync;
        }

        await using var db = _database.Create();
        var revision = await db.ApprovalListRevisions.SingleAsync(r => r.Id == revisionId);
        var accepted = await _job.ApplyRevisionAsync(revision, "admin2", null, CancellationToken.None);
        Assert.True(accepted.Succeeded, accepted.Message);
        return accepted.Value!;
    }

    /// <summary>Every source-owned row with its version: "nothing changed" means this is equal before and after.</summary>
    private async Task<string> OwnedState(int sourceId)
    {
        await using var db = _database.Create();
        var approvals = await db.Approvals.Where(a => a.SourceId == sourceId).OrderBy(a => a.Id).Select(a => $"{a.SourceEntryKey}:{a.Status}:{a.MaxImpactLevel}:{a.Version}").ToListAsync();
        var restrictions = await db.Restrictions.Where(r => r.SourceId == sourceId).OrderBy(r => r.Id).Select(r => $"{r.SourceEntryKey}:{r.LiftedAt}:{r.Version}").ToListAsync();
        return string.Join("|", approvals.Concat(restrictions));
    }

    [Fact]
    public async Task The_first_sync_applies_restrictions_at_once_and_stages_approvals_until_a_second_administrator_accepts_them()
    {
        _server.Publish(FirstList);
        var sourceId = await AddSource(_server.ListUrl);

        var sync = await _job.SyncAsync(sourceId, CancellationToken.None);

        Assert.Equal((SyncStatus.Succeeded, 1, 0, 0), (sync.Status, sync.Added, sync.Changed, sync.Removed));
        await using (var db0 = _database.Create())
        {
            Assert.False(await db0.Approvals.AnyAsync(a => a.SourceId == sourceId), "a list puts no approval in force by itself");
            var revision = await db0.ApprovalListRevisions.SingleAsync(r => r.SourceId == sourceId);
            Assert.Equal((sync.RevisionId, RevisionStatus.Pending, sync.ContentSha256), (revision.Id, revision.Status, revision.ContentSha256));
            Assert.Equal(["approval A-1", "approval A-2"], SyncDiff.Parse(revision.Diff)!.Added.Select(d => $"{d.Kind} {d.Key}").Order());
        }

        var accepted = await SyncAndAcceptStaged(sync);

        Assert.Equal((SyncStatus.Succeeded, 2, 0, 0), (accepted.Status, accepted.Added, accepted.Changed, accepted.Removed));
        await using var db = _database.Create();
        var approvals = await db.Approvals.Where(a => a.SourceId == sourceId).OrderBy(a => a.SourceEntryKey).ToListAsync();
        Assert.Equal(["A-1", "A-2"], approvals.Select(a => a.SourceEntryKey));
        var a1 = approvals[0];
        Assert.Equal((_modelAId, ApprovalStatus.Approved, ImpactLevel.IL4, DataCategories.CUI | DataCategories.PII, Usages.Inference, Sectors.Defense),
            (a1.ModelId, a1.Status, a1.MaxImpactLevel, a1.DataCategories, a1.Usages, a1.Sectors));
        Assert.Equal(("source:" + ListName, "admin2"), (a1.RequestedBy, a1.DecidedBy));
        Assert.Equal([await db.Customers.Where(c => c.Code == "acme").Select(c => c.Id).SingleAsync()], a1.CustomerIds);
        var restriction = await db.Restrictions.SingleAsync(r => r.SourceId == sourceId);
        Assert.Equal(("Meta", Sectors.Defense | Sectors.Intelligence, ImpactLevel.IL4), (restriction.Provider, restriction.Sectors, restriction.MinImpactLevel));
        var source = await db.ApprovalListSources.SingleAsync(s => s.Id == sourceId);
        Assert.Equal((SyncStatus.Succeeded, sync.ContentSha256), (source.LastSyncStatus, source.ContentSha256));
        Assert.NotNull(source.ETag);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.User == "system:list-sync:" + ListName && e.Entity == "Restriction"));
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.User == "admin2" && e.Entity == "Approval"));
        Assert.Equal(RevisionStatus.Accepted, (await db.ApprovalListRevisions.SingleAsync(r => r.SourceId == sourceId)).Status);
    }

    [Fact]
    public async Task A_second_sync_with_an_unchanged_etag_is_recorded_as_unchanged_and_changes_nothing()
    {
        _server.Publish(FirstList);
        var sourceId = await AddSource(_server.ListUrl);
        var first = await SyncAndAccept(sourceId);
        var before = await OwnedState(sourceId);
        await using var db0 = _database.Create();
        var eventsBefore = await db0.AuditEvents.CountAsync(e => e.Entity == "Approval" || e.Entity == "Restriction");

        var second = await _job.SyncAsync(sourceId, CancellationToken.None);

        Assert.Equal(SyncStatus.Unchanged, second.Status);
        Assert.Equal(["restrictions", "approvals"], _changes); // from the first sync and its acceptance only
        var (_, ifNoneMatch, status) = _server.Requests[^1];
        Assert.Equal((first.ContentSha256, 304), (second.ContentSha256, status));
        Assert.NotNull(ifNoneMatch);
        Assert.Equal(before, await OwnedState(sourceId));
        await using var db = _database.Create();
        Assert.Equal(eventsBefore, await db.AuditEvents.CountAsync(e => e.Entity == "Approval" || e.Entity == "Restriction"));
        Assert.Equal(SyncStatus.Unchanged, (await db.ApprovalListSources.SingleAsync(s => s.Id == sourceId)).LastSyncStatus);
    }

    [Fact]
    public async Task A_changed_list_applies_its_narrowing_diff_at_once_and_stages_the_widening_rest()
    {
        _server.Publish(FirstList);
        var sourceId = await AddSource(_server.ListUrl);
        await SyncAndAccept(sourceId);
        await using var db0 = _database.Create();
        var untouched = await db0.Approvals.Where(a => a.SourceId == sourceId && a.SourceEntryKey == "A-1").Select(a => a.Version).SingleAsync();

        // A-2 removed (narrows), the restriction's deadline moved later (widens), A-3 added (widens); A-1 as it was.
        _server.Publish(List([ApprovalJson("A-1", _modelA), ApprovalJson("A-3", _modelC, "IL5")],
            [RestrictionJson("R-1", "Meta").Replace("2026-03-01", "2026-04-15")]));
        var sync = await _job.SyncAsync(sourceId, CancellationToken.None);

        Assert.Equal((SyncStatus.Succeeded, 0, 0, 1), (sync.Status, sync.Added, sync.Changed, sync.Removed));
        Assert.Equal("approval A-2", $"{Assert.Single(SyncDiff.Parse(sync.Diff)!.Removed).Kind} {SyncDiff.Parse(sync.Diff)!.Removed[0].Key}");
        await using (var db1 = _database.Create())
        {
            Assert.False(await db1.Approvals.AnyAsync(a => a.SourceEntryKey == "A-3"));
            Assert.Equal(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), (await db1.Restrictions.SingleAsync(r => r.SourceId == sourceId)).TransitionDeadline);
            var staged = SyncDiff.Parse((await db1.ApprovalListRevisions.SingleAsync(r => r.Id == sync.RevisionId)).Diff)!;
            Assert.Equal("approval A-3", $"{Assert.Single(staged.Added).Kind} {staged.Added[0].Key}");
            var changed = Assert.Single(staged.Changed);
            Assert.Equal(("restriction", "R-1", "transitionDeadline: 2026-03-01 → 2026-04-15"), (changed.Kind, changed.Key, Assert.Single(changed.Changes!)));
        }

        var accepted = await SyncAndAcceptStaged(sync);

        Assert.Equal((1, 1, 0), (accepted.Added, accepted.Changed, accepted.Removed));
        await using var db = _database.Create();
        var byKey = await db.Approvals.Where(a => a.SourceId == sourceId).ToDictionaryAsync(a => a.SourceEntryKey!);
        Assert.Equal((ApprovalStatus.Approved, untouched), (byKey["A-1"].Status, byKey["A-1"].Version));
        Assert.Equal(ApprovalStatus.Revoked, byKey["A-2"].Status);
        Assert.Equal($"No longer in list '{ListName}'.", byKey["A-2"].DecisionReason);
        Assert.Equal((ApprovalStatus.Approved, ImpactLevel.IL5, "admin2"), (byKey["A-3"].Status, byKey["A-3"].MaxImpactLevel, byKey["A-3"].DecidedBy));
        Assert.Equal(new DateTime(2026, 4, 15, 0, 0, 0, DateTimeKind.Utc), (await db.Restrictions.SingleAsync(r => r.SourceId == sourceId)).TransitionDeadline);
    }

    private async Task<ApprovalListSync> SyncAndAcceptStaged(ApprovalListSync sync)
    {
        await using var db = _database.Create();
        var revision = await db.ApprovalListRevisions.SingleAsync(r => r.Id == sync.RevisionId);
        var accepted = await _job.ApplyRevisionAsync(revision, "admin2", null, CancellationToken.None);
        Assert.True(accepted.Succeeded, accepted.Message);
        return accepted.Value!;
    }

    public static TheoryData<string, string> MalformedLists => new()
    {
        { """{ "schemaVersion": 1, "approvals": [ { "key": "A-1", """, "not valid JSON" },
        { """{ "schemaVersion": 2, "approvals": [] }""", "schemaVersion 2 is not supported" },
        { "UNKNOWN_MODEL", "(approvals[1]) names model" },
        { "DUPLICATE_KEY", "repeats the key" },
        { "BAD_LEVEL", "which is not an impact level" },
    };

    [Theory]
    [MemberData(nameof(MalformedLists))]
    public async Task A_malformed_list_fails_with_a_reason_naming_the_entry_and_changes_nothing(string list, string expected)
    {
        _server.Publish(FirstList);
        var sourceId = await AddSource(_server.ListUrl);
        await SyncAndAccept(sourceId);
        var before = await OwnedState(sourceId);
        string shaBefore;
        await using (var db0 = _database.Create())
        {
            shaBefore = (await db0.ApprovalListSources.SingleAsync(s => s.Id == sourceId)).ContentSha256!;
        }

        _server.Publish(list switch
        {
            "UNKNOWN_MODEL" => List([ApprovalJson("A-1", _modelA), ApprovalJson("A-9", "acme.no-such-model-v1:0")], []),
            "DUPLICATE_KEY" => List([ApprovalJson("A-1", _modelA), ApprovalJson("A-1", _modelB)], []),
            "BAD_LEVEL" => List([ApprovalJson("A-1", _modelA, "IL3")], []),
            _ => list,
        });
        var sync = await _job.SyncAsync(sourceId, CancellationToken.None);

        Assert.Equal(SyncStatus.Failed, sync.Status);
        Assert.Contains(expected, sync.Error);
        Assert.Equal(before, await OwnedState(sourceId));
        await using var db = _database.Create();
        var source = await db.ApprovalListSources.SingleAsync(s => s.Id == sourceId);
        Assert.Equal((SyncStatus.Failed, sync.Error, shaBefore), (source.LastSyncStatus, source.LastSyncError, source.ContentSha256));
        Assert.Equal([SyncStatus.Succeeded, SyncStatus.Succeeded, SyncStatus.Failed], await db.ApprovalListSyncs.Where(s => s.SourceId == sourceId).OrderBy(s => s.Id).Select(s => s.Status).ToListAsync());
    }

    [Fact]
    public async Task An_unreachable_list_fails_and_the_previous_entries_stay_in_force()
    {
        _server.Publish(FirstList);
        var sourceId = await AddSource(_server.ListUrl);
        await SyncAndAccept(sourceId);
        var before = await OwnedState(sourceId);
        var closedPort = ClosedPort();
        await using (var db0 = _database.Create("admin"))
        {
            (await db0.ApprovalListSources.SingleAsync(s => s.Id == sourceId)).Url = $"http://127.0.0.1:{closedPort}/list";
            await db0.SaveChangesAsync();
        }

        var sync = await _job.SyncAsync(sourceId, CancellationToken.None);

        Assert.Equal(SyncStatus.Failed, sync.Status);
        Assert.StartsWith($"Could not reach http://127.0.0.1:{closedPort}/list", sync.Error);
        Assert.Equal(before, await OwnedState(sourceId));
        await using var db = _database.Create();
        Assert.Equal(2, await db.Approvals.CountAsync(a => a.SourceId == sourceId && a.Status == ApprovalStatus.Approved));
    }

    [Fact]
    public async Task A_transient_server_error_is_retried()
    {
        _server.Publish(FirstList);
        var sourceId = await AddSource(_server.ListUrl);
        _server.FailNext(2);

        var sync = await _job.SyncAsync(sourceId, CancellationToken.None);

        Assert.Equal(SyncStatus.Succeeded, sync.Status);
        Assert.Equal([503, 503, 200], _server.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task A_list_larger_than_five_megabytes_is_refused_while_reading()
    {
        var sourceId = await AddSource(_server.HugeUrl);

        var sync = await _job.SyncAsync(sourceId, CancellationToken.None);

        Assert.Equal(SyncStatus.Failed, sync.Status);
        Assert.Contains("larger than the limit of 5,242,880 bytes", sync.Error);
    }

    [Fact]
    public async Task An_uploaded_csv_list_applies_and_the_same_upload_again_is_unchanged()
    {
        var csv = $"""
            kind,key,host_model_id,max_impact_level,data_categories,usages,sectors,customers,valid_from,valid_until,provider,min_impact_level,effective_from,transition_deadline,reason,justification
            approval,C-1,{_modelA},IL5,CUI;ExportControlled,Inference;Agent,,,2026-01-01,,,,,,,"Board minutes, item 4"
            restriction,C-R,,,,,Defense,acme,,,Meta,,2026-02-01,2026-05-01,Vendor review,
            """;
        var sourceId = await AddSource(null, ApprovalListFormat.Csv, Encoding.UTF8.GetBytes(csv));

        var sync = await SyncAndAccept(sourceId);

        Assert.True(sync.Status == SyncStatus.Succeeded, sync.Error);
        Assert.Equal(1, sync.Added); // the restriction applied with the sync; the approval with its acceptance
        await using var db = _database.Create();
        var approval = await db.Approvals.SingleAsync(a => a.SourceId == sourceId);
        Assert.Equal((_modelAId, ImpactLevel.IL5, DataCategories.CUI | DataCategories.ExportControlled, Usages.Inference | Usages.Agent, "Board minutes, item 4", (DateTime?)null),
            (approval.ModelId, approval.MaxImpactLevel, approval.DataCategories, approval.Usages, approval.Justification, approval.ValidUntil));
        Assert.Equal(SyncStatus.Unchanged, (await _job.SyncAsync(sourceId, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_csv_list_with_a_bad_row_names_the_row_and_changes_nothing()
    {
        var csv = $"""
            kind,key,host_model_id,max_impact_level,valid_from
            approval,C-1,{_modelA},IL5,2026-01-01
            approval,C-2,{_modelB},IL5,01/02/2026
            """;
        var sourceId = await AddSource(null, ApprovalListFormat.Csv, Encoding.UTF8.GetBytes(csv));

        var sync = await _job.SyncAsync(sourceId, CancellationToken.None);

        Assert.Equal(SyncStatus.Failed, sync.Status);
        Assert.Contains($"{ListName}, row 3, field 'validFrom': approval 'C-2' has validFrom '01/02/2026', which is not a date", sync.Error);
        await using var db = _database.Create();
        Assert.False(await db.Approvals.AnyAsync(a => a.SourceId == sourceId));
    }

    [Fact]
    public async Task The_published_json_schema_describes_version_one()
    {
        var path = Path.Combine(RepoRoot(), "docs", "approval-list.schema.json");
        using var schema = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var props = schema.RootElement.GetProperty("properties");
        Assert.Equal(1, props.GetProperty("schemaVersion").GetProperty("const").GetInt32());
        Assert.True(props.TryGetProperty("approvals", out _) && props.TryGetProperty("restrictions", out _));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "docs")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("docs/ not found above the test binaries.");
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
