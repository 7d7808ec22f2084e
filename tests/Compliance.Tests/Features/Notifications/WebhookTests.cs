using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Notifications;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Data;

namespace Compliance.Tests.Features.Notifications;

/// <summary>
/// Events from a real check run over the demo data, queued in real Hangfire SQLite storage and posted by the job to a
/// real Kestrel receiver on 127.0.0.1, which checks the signature with its own HMAC.
/// </summary>
public abstract class WebhookTests(DatabaseProvider provider) : IAsyncLifetime
{
    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnSqlite() : WebhookTests(DatabaseProvider.Sqlite);

    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnPostgreSql() : WebhookTests(DatabaseProvider.PostgreSql);

    private const string Secret = "s3cret-for-tests-only";

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly HashSet<string> _dispatched = [];
    private WebApplication _receiver = null!;
    private SQLiteStorage _storage = null!;
    private int _status = 200;
    private string _url = "";

    private sealed record Received(string Body, string? Signature, string? Event);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        HangfireStorageCollection.UseSilentHangfireLogs();
        _storage = new SQLiteStorage(Path.Combine(_database.Folder, "hangfire.db"), new SQLiteStorageOptions());

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            _received.Enqueue(new Received(body, request.Headers["X-Compliance-Signature"], request.Headers["X-Compliance-Event"]));
            return Results.StatusCode(_status);
        });
        await _receiver.StartAsync();
        var address = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _url = address + "/hook?token=abc";
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _storage.Dispose();
        await _database.DisposeAsync();
    }

    private IOptions<NotificationOptions> Options() => Microsoft.Extensions.Options.Options.Create(new NotificationOptions
    {
        Webhooks =
        [
            new WebhookOptions { Url = _url, Secret = Secret, Events = [NotificationEvents.CriticalFindingOpened, NotificationEvents.RestrictionDeadlineApproaching] },
            new WebhookOptions { Url = "http://127.0.0.1:9/other", Secret = "other", Events = ["some.other.event"] },
        ],
        MaxFindingsPerEvent = 3,
    });

    private CheckNotifier Notifier(IOptions<NotificationOptions> options) => new(
        _database.Factory,
        new HangfireNotificationPublisher(new BackgroundJobClient(_storage), _clock, NullLogger<HangfireNotificationPublisher>.Instance),
        new HangfireNotificationLedger(_storage), options, _clock, NullLogger<CheckNotifier>.Instance);

    private WebhookDelivery Delivery(HttpClient http, IOptions<NotificationOptions> options) =>
        new(http, options, _database.Factory, new WebhookSecrets(new EphemeralDataProtectionProvider()), _clock, NullLogger<WebhookDelivery>.Instance);

    private Task<CheckRun> RunCheckAsync() =>
        new CheckRunner(_database.Factory, Microsoft.Extensions.Options.Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);

    /// <summary>
    /// The deliveries queued in Hangfire, as the job would run them (the arguments come back from storage): each queued
    /// dispatch job is run first (once), as the server would, then the deliveries it queued are returned.
    /// </summary>
    private List<Func<WebhookDelivery, Task>> QueuedDeliveries()
    {
        var options = Options();
        foreach (var dispatch in _storage.GetMonitoringApi().EnqueuedJobs("default", 0, 100)
            .Where(j => j.Value.Job.Method.Name == nameof(NotificationDispatch.DispatchAsync) && _dispatched.Add(j.Key)).ToList())
        {
            var args = dispatch.Value.Job.Args;
            new NotificationDispatch(_database.Factory, new BackgroundJobClient(_storage), options, new NotificationEmails(_database.Factory, new BackgroundJobClient(_storage), Microsoft.Extensions.Options.Options.Create(new SmtpOptions()), new NotificationRecipients(_database.Factory)), NullLogger<NotificationDispatch>.Instance)
                .DispatchAsync((string)args[0], (string)args[1], (string)args[2], CancellationToken.None).GetAwaiter().GetResult();
        }

        var jobs = _storage.GetMonitoringApi().EnqueuedJobs("default", 0, 100).Where(j => j.Value.Job.Method.Name != nameof(NotificationDispatch.DispatchAsync));
        return jobs.Select(j =>
        {
            Assert.Equal(nameof(WebhookDelivery.DeliverAsync), j.Value.Job.Method.Name);
            var args = j.Value.Job.Args;
            Assert.DoesNotContain(Secret, string.Join("|", args.Select(a => a?.ToString())));
            return (Func<WebhookDelivery, Task>)(d => d.DeliverAsync((string)args[0], (string)args[1], (string)args[2], (string)args[3], CancellationToken.None));
        }).ToList();
    }

    private static string Hmac(string secret, string body) =>
        "sha256=" + string.Concat(new HMACSHA256(Encoding.UTF8.GetBytes(secret)).ComputeHash(Encoding.UTF8.GetBytes(body)).Select(b => b.ToString("x2")));

    [Fact]
    public async Task New_critical_findings_reach_the_receiver_as_one_signed_event_with_the_total()
    {
        var options = Options();
        var run = await RunCheckAsync();
        var notification = await Notifier(options).AfterCheckAsync(run, CancellationToken.None);

        int expected;
        await using (var db = _database.Create())
        {
            expected = await db.Findings.CountAsync(f => f.Severity == Severity.Critical && f.Status == FindingStatus.Open);
        }

        Assert.True(expected > 3);
        Assert.NotNull(notification);
        var delivery = Assert.Single(QueuedDeliveries()); // only the webhook that wants the event
        using var http = new HttpClient();
        await delivery(Delivery(http, options));

        var received = Assert.Single(_received);
        Assert.Equal(Hmac(Secret, received.Body), received.Signature);
        Assert.Equal("finding.critical.opened", received.Event);
        using var json = JsonDocument.Parse(received.Body);
        var root = json.RootElement;
        Assert.Equal(notification.Id, root.GetProperty("id").GetString());
        Assert.Equal("finding.critical.opened", root.GetProperty("type").GetString());
        Assert.True(root.TryGetProperty("occurredAt", out _));
        var data = root.GetProperty("data");
        Assert.Equal(expected, data.GetProperty("total").GetInt32());
        Assert.Equal(run.Id, data.GetProperty("checkRunId").GetInt32());
        Assert.Equal(3, data.GetProperty("findings").GetArrayLength());

        // A second run opens nothing new: no event.
        var again = await RunCheckAsync();
        Assert.Null(await Notifier(options).AfterCheckAsync(again, CancellationToken.None));
    }

    [Fact]
    public async Task A_receiver_answering_500_makes_the_delivery_throw_so_hangfire_retries_it()
    {
        var options = Options();
        _status = 500;
        var body = NotificationEvent.Create("finding.critical.opened", _clock.UtcNow, new { total = 1 }).ToJson();
        using var http = new HttpClient();
        var delivery = Delivery(http, options);

        var error = await Assert.ThrowsAsync<WebhookDeliveryException>(() => delivery.DeliverAsync(_url, "finding.critical.opened", "e1", body, CancellationToken.None));
        Assert.Contains("500", error.Message);
        Assert.DoesNotContain("token=abc", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
        var received = Assert.Single(_received); // it did reach the receiver, signed
        Assert.Equal(Hmac(Secret, body), received.Signature);

        _status = 204;
        await delivery.DeliverAsync(_url, "finding.critical.opened", "e1", body, CancellationToken.None);
        Assert.Equal(2, _received.Count);
    }

    [Fact]
    public async Task A_restriction_nearing_its_deadline_is_announced_once_a_day_with_its_unmoved_bindings()
    {
        var options = Options();
        await RunCheckAsync();
        int restrictionId, unmoved;
        await using (var db = _database.Create())
        {
            var restriction = await db.Restrictions.SingleAsync();
            restrictionId = restriction.Id;
            unmoved = await db.Findings.CountAsync(f => f.Rule == FindingRule.Restricted && f.RestrictionId == restriction.Id && f.Status != FindingStatus.Resolved);
            Assert.True(unmoved > 0);
            // Too far away today (the demo deadline is 27 days out): nothing to say.
            Assert.Empty(await Notifier(options).DeadlinesApproachingAsync(CancellationToken.None));
            _clock.UtcNow = restriction.TransitionDeadline.AddDays(-5).AddHours(1);
        }

        var first = Assert.Single(await Notifier(options).DeadlinesApproachingAsync(CancellationToken.None));
        var data = Assert.IsType<RestrictionDeadlineApproaching>(first.Data);
        Assert.Equal((restrictionId, unmoved, 4), (data.RestrictionId, data.UnmovedBindings, data.DaysLeft));

        _clock.Advance(TimeSpan.FromHours(3)); // same day, a fresh notifier (a re-run job): nothing again
        Assert.Empty(await Notifier(options).DeadlinesApproachingAsync(CancellationToken.None));
        Assert.Single(QueuedDeliveries());

        _clock.Advance(TimeSpan.FromDays(1)); // the next day: announced again
        Assert.Single(await Notifier(options).DeadlinesApproachingAsync(CancellationToken.None));
        Assert.Equal(2, QueuedDeliveries().Count);
        using var http = new HttpClient();
        foreach (var delivery in QueuedDeliveries())
        {
            await delivery(Delivery(http, options));
        }

        Assert.All(_received, r => Assert.Equal(Hmac(Secret, r.Body), r.Signature));
        Assert.All(_received, r => Assert.Equal("restriction.deadline.approaching", r.Event));
    }
}
