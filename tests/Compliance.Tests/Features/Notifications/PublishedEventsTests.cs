using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Approvals;
using Compliance.Web.Features.Notifications;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Tests.Features.Notifications;

/// <summary>The services that exist publish their events through the one publisher, into real Hangfire storage.</summary>
[Collection(HangfireStorageCollection.Name)]
public sealed class PublishedEventsTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
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
}
