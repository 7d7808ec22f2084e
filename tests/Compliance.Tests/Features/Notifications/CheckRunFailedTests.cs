using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Notifications;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Data;

namespace Compliance.Tests.Features.Notifications;

/// <summary>A check run that throws is announced as <c>check-run.failed</c>, and the job still fails (so Hangfire retries it).</summary>
public abstract class CheckRunFailedTests(DatabaseProvider provider) : IAsyncLifetime
{
    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnSqlite() : CheckRunFailedTests(DatabaseProvider.Sqlite);

    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnPostgreSql() : CheckRunFailedTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private SQLiteStorage _storage = null!;

    // The database is never migrated: the run fails on its first query, as it would on a database that went away.
    public Task InitializeAsync()
    {
        HangfireStorageCollection.UseSilentHangfireLogs();
        _storage = new SQLiteStorage(Path.Combine(_database.Folder, "hangfire.db"), new SQLiteStorageOptions());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _storage.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_failing_run_publishes_check_run_failed_and_rethrows()
    {
        var options = Options.Create(new NotificationOptions());
        var publisher = new HangfireNotificationPublisher(new BackgroundJobClient(_storage), _clock, NullLogger<HangfireNotificationPublisher>.Instance);
        var notifier = new CheckNotifier(_database.Factory, publisher, new HangfireNotificationLedger(_storage), options, _clock, NullLogger<CheckNotifier>.Instance);
        var job = new CheckJob(new CheckRunner(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance), notifier,
            new Compliance.Web.Features.Attestations.AttestationStalenessTrigger(new BackgroundJobClient(_storage), NullLogger<Compliance.Web.Features.Attestations.AttestationStalenessTrigger>.Instance));

        await Assert.ThrowsAnyAsync<Exception>(() => job.RunScheduledAsync(CancellationToken.None));

        var dispatch = Assert.Single(_storage.GetMonitoringApi().EnqueuedJobs("default", 0, 10)).Value.Job;
        Assert.Equal(NotificationEvents.CheckRunFailed, (string)dispatch.Args[0]);
        var data = JsonDocument.Parse((string)dispatch.Args[2]).RootElement.GetProperty("data");
        Assert.Equal("Scheduled", data.GetProperty("trigger").GetString());
        Assert.False(string.IsNullOrEmpty(data.GetProperty("error").GetString()));
    }
}
