using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Approvals;
using Compliance.Web.Features.Notifications;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Compliance.Web.Data;

namespace Compliance.Tests.Features.Notifications;

/// <summary>A failed approval-list sync is announced as <c>approval-list.sync.failed</c>, with the reason.</summary>
public abstract class ListSyncEventsTests(DatabaseProvider provider) : IAsyncLifetime
{
    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnSqlite() : ListSyncEventsTests(DatabaseProvider.Sqlite);

    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnPostgreSql() : ListSyncEventsTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private SQLiteStorage _storage = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        HangfireStorageCollection.UseSilentHangfireLogs();
        _storage = new SQLiteStorage(Path.Combine(_database.Folder, "hangfire.db"), new SQLiteStorageOptions());
    }

    public async Task DisposeAsync()
    {
        _storage.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_sync_of_a_source_not_yet_approved_fails_and_publishes_sync_failed()
    {
        int sourceId;
        await using (var db = _database.Create("admin"))
        {
            var source = new ApprovalListSource { Name = "Agency list", CreatedBy = "admin", Url = "https://lists.example.gov/approvals.json", Review = SourceReview.Requested };
            db.ApprovalListSources.Add(source);
            await db.SaveChangesAsync();
            sourceId = source.Id;
        }

        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var publisher = new HangfireNotificationPublisher(new BackgroundJobClient(_storage), _clock, NullLogger<HangfireNotificationPublisher>.Instance);
        var job = new ApprovalListSyncJob(_database.Factory, services.GetRequiredService<IHttpClientFactory>(), new ApprovalEvents(), _clock,
            NullLogger<ApprovalListSyncJob>.Instance, publisher);

        var sync = await job.SyncAsync(sourceId, CancellationToken.None);

        Assert.Equal(SyncStatus.Failed, sync.Status);
        var dispatch = Assert.Single(_storage.GetMonitoringApi().EnqueuedJobs("default", 0, 10)).Value.Job;
        Assert.Equal(NotificationEvents.ApprovalListSyncFailed, (string)dispatch.Args[0]);
        var data = JsonDocument.Parse((string)dispatch.Args[2]).RootElement.GetProperty("data");
        Assert.Equal(sourceId, data.GetProperty("sourceId").GetInt32());
        Assert.Contains("second administrator", data.GetProperty("error").GetString());
    }
}
