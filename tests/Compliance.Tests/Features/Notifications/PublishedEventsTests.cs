using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Approvals;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Features.Notifications;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Compliance.Web.Data;

namespace Compliance.Tests.Features.Notifications;

/// <summary>The services that exist publish their events through the one publisher, into real Hangfire storage.</summary>
public abstract class PublishedEventsTests(DatabaseProvider provider) : IAsyncLifetime
{
    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnSqlite() : PublishedEventsTests(DatabaseProvider.Sqlite);

    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnPostgreSql() : PublishedEventsTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private SQLiteStorage _storage = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        HangfireStorageCollection.UseSilentHangfireLogs();
        _storage = new SQLiteStorage(Path.Combine(_database.Folder, "hangfire.db"), new SQLiteStorageOptions());
    }

    public async Task DisposeAsync()
    {
        _storage.Dispose();
        await _database.DisposeAsync();
    }

    private HangfireNotificationPublisher Publisher() => new(new BackgroundJobClient(_storage), _clock, NullLogger<HangfireNotificationPublisher>.Instance);

    /// <summary>The events queued so far: (type, data).</summary>
    private List<(string Type, JsonElement Data)> Published() =>
        [.. _storage.GetMonitoringApi().EnqueuedJobs("default", 0, 100).Select(j => j.Value.Job)
            .Where(j => j.Method.Name == nameof(NotificationDispatch.DispatchAsync))
            .Select(j => ((string)j.Args[0], JsonDocument.Parse((string)j.Args[2]).RootElement.GetProperty("data")))];

    [Fact]
    public async Task Requesting_and_deciding_an_approval_publish_approval_requested_and_decided()
    {
        int modelId;
        await using (var db = _database.Create())
        {
            modelId = await db.Models.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        }

        var service = new ApprovalService(_database.Factory, new ApprovalEvents(), _clock, Publisher());
        var requested = await service.RequestAsync(People.Admin, new ApprovalRequest(modelId, ImpactLevel.IL4, DataCategories.None, Usages.Inference,
            Sectors.None, [], _clock.UtcNow, null, null, "Summaries for the help desk"));
        Assert.True(requested.Succeeded, requested.Message);
        var decided = await service.DecideAsync(People.Admin2, requested.Value!.Id, Decision.Approve, null, requested.Value.Version);
        Assert.True(decided.Succeeded, decided.Message);

        var events = Published();
        Assert.Equal([NotificationEvents.ApprovalRequested, NotificationEvents.ApprovalDecided], events.Select(e => e.Type));
        Assert.Equal(requested.Value.Id, events[0].Data.GetProperty("approvalId").GetInt32());
        Assert.Equal("admin", events[0].Data.GetProperty("requestedBy").GetString());
        Assert.Equal("Approved", events[1].Data.GetProperty("status").GetString());
        Assert.Equal("admin2", events[1].Data.GetProperty("decidedBy").GetString());
    }

    [Fact]
    public async Task Creating_a_restriction_publishes_restriction_created_and_a_refused_one_publishes_nothing()
    {
        var service = new RestrictionService(_database.Factory, new ApprovalEvents(), _clock, Publisher());
        var input = new RestrictionInput(null, "Meta", Sectors.None, [], ImpactLevel.IL5, _clock.UtcNow, _clock.UtcNow.AddDays(30), "Vendor review");

        Assert.False((await service.CreateAsync(People.Officer, input)).Succeeded);
        Assert.Empty(Published());

        var created = await service.CreateAsync(People.Admin, input);
        Assert.True(created.Succeeded, created.Message);
        var (type, data) = Assert.Single(Published());
        Assert.Equal(NotificationEvents.RestrictionCreated, type);
        Assert.Equal(created.Value!.Id, data.GetProperty("restrictionId").GetInt32());
        Assert.Equal("Meta", data.GetProperty("provider").GetString());
    }

    [Fact]
    public async Task Issuing_an_attestation_publishes_attestation_issued_with_its_verification_code()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new AttestationOptions { BaseUrl = "https://compliance.example.test", DataFolder = _database.Folder });
        var certificates = new AttestationCertificateSource(options, _database.Options,
            new HostingEnvironment { EnvironmentName = "Development", ContentRootPath = _database.Folder });
        var service = new AttestationService(_database.Factory,
            new SnapshotBuilder(_database.Factory, Microsoft.Extensions.Options.Options.Create(new Compliance.Web.Features.Checks.Run.CheckOptions())),
            new Compliance.Web.Auth.CustomerScopes(_database.Factory, new Compliance.Web.Auth.OidcSettings()), certificates, options, _clock,
            NullLogger<AttestationService>.Instance, notifications: Publisher());
        int acme;
        await using (var db = _database.Create())
        {
            acme = await db.Customers.Where(c => c.Code == "acme").Select(c => c.Id).SingleAsync();
        }

        var issued = await service.IssueAsync(acme, "officer", null);

        var (type, data) = Assert.Single(Published());
        Assert.Equal(NotificationEvents.AttestationIssued, type);
        Assert.Equal(issued.Id, data.GetProperty("attestationId").GetInt32());
        Assert.Equal(issued.VerificationCode, data.GetProperty("verificationCode").GetString());
        Assert.Equal("officer", data.GetProperty("issuedBy").GetString());
        Assert.Equal($"/verify/{issued.VerificationCode}", data.GetProperty("link").GetString());
    }

    [Fact]
    public async Task A_sync_that_adds_a_restriction_publishes_sync_changed_and_a_malformed_list_publishes_sync_failed()
    {
        const string list = """
            { "schemaVersion": 1, "publisher": "Agency board", "approvals": [], "restrictions": [
              { "key": "R-1", "provider": "Meta", "sectors": ["Defense"], "minImpactLevel": "IL4", "effectiveFrom": "2026-02-01",
                "transitionDeadline": "2026-03-01", "reason": "Vendor under review" } ] }
            """;
        var good = await AddSourceAsync("Agency board", System.Text.Encoding.UTF8.GetBytes(list));
        var broken = await AddSourceAsync("Broken list", System.Text.Encoding.UTF8.GetBytes("""{ "schemaVersion": 1, "approvals": [ """));
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var job = new ApprovalListSyncJob(_database.Factory, services.GetRequiredService<IHttpClientFactory>(), new ApprovalEvents(), _clock,
            NullLogger<ApprovalListSyncJob>.Instance, Publisher());

        var changed = await job.SyncAsync(good, CancellationToken.None);
        var failed = await job.SyncAsync(broken, CancellationToken.None);

        Assert.Equal((SyncStatus.Succeeded, 1), (changed.Status, changed.Added));
        Assert.Equal(SyncStatus.Failed, failed.Status);
        var events = Published();
        Assert.Equal([NotificationEvents.ApprovalListSyncChanged, NotificationEvents.ApprovalListSyncFailed], events.Select(e => e.Type));
        Assert.Equal((good, 1), (events[0].Data.GetProperty("sourceId").GetInt32(), events[0].Data.GetProperty("added").GetInt32()));
        Assert.Equal(broken, events[1].Data.GetProperty("sourceId").GetInt32());
        Assert.False(string.IsNullOrEmpty(events[1].Data.GetProperty("error").GetString()));
        await using var db = _database.Create();
        Assert.Equal("R-1", (await db.Restrictions.SingleAsync(r => r.SourceId == good)).SourceEntryKey);
    }

    /// <summary>An uploaded list, requested by admin and approved by admin2 (as the source service leaves it).</summary>
    private async Task<int> AddSourceAsync(string name, byte[] content)
    {
        await using var db = _database.Create("admin");
        var source = new ApprovalListSource
        {
            Name = name, Format = ApprovalListFormat.Json, UploadedContent = content, CreatedBy = "admin",
            Review = SourceReview.Approved, RequestedBy = "admin", ReviewedBy = "admin2",
        };
        db.ApprovalListSources.Add(source);
        await db.SaveChangesAsync();
        return source.Id;
    }
}
