using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Notifications;
using Compliance.Web.Jobs.Outbound;
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
using Compliance.Web.Data;

namespace Compliance.Tests.Features.Notifications;

/// <summary>
/// Webhooks managed by administrators: stored with a protected secret shown once, validated by field, audited, posted
/// through the real outbound guard (redirects not followed) to a real Kestrel receiver that checks the timestamped signature.
/// </summary>
public abstract class WebhookAdministrationTests(DatabaseProvider provider) : IAsyncLifetime
{
    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnSqlite() : WebhookAdministrationTests(DatabaseProvider.Sqlite);

    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnPostgreSql() : WebhookAdministrationTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private readonly ConcurrentQueue<(string Path, string Body, string? Signature)> _received = new();
    private readonly EphemeralDataProtectionProvider _protection = new();
    private WebApplication _receiver = null!;
    private ServiceProvider _services = null!;
    private SQLiteStorage _storage = null!;
    private string _base = "";

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        HangfireStorageCollection.UseSilentHangfireLogs();
        _storage = new SQLiteStorage(Path.Combine(_database.Folder, "hangfire.db"), new SQLiteStorageOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _receiver = builder.Build();
        _receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            _received.Enqueue(("/hook", await reader.ReadToEndAsync(), request.Headers["X-Signature"]));
            return Results.NoContent();
        });
        _receiver.MapPost("/moved", () => Results.Redirect("/hook", permanent: true, preserveMethod: true));
        await _receiver.StartAsync();
        _base = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        // The app's own wiring of the delivery client (outbound guard), with loopback allow-listed for the receiver.
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(_database.Factory);
        services.AddSingleton<IDataProtectionProvider>(_protection);
        services.Configure<OutboundOptions>(o => { o.RequireHttps = false; o.AllowedHosts = ["127.0.0.1"]; });
        services.AddSingleton(Options.Create(new NotificationOptions()));
        services.AddHttpClient<WebhookDelivery>().AddOutboundGuard();
        services.AddSingleton<WebhookSecrets>();
        services.AddTransient<WebhookService>();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _services.DisposeAsync();
        _storage.Dispose();
        await _database.DisposeAsync();
    }

    private WebhookService Service => _services.GetRequiredService<WebhookService>();

    [Fact]
    public async Task An_administrator_adds_a_webhook_whose_secret_is_shown_once_stored_protected_and_audited()
    {
        var created = await Service.CreateAsync(People.Admin, new WebhookInput("SOC", _base + "/hook", [NotificationEvents.RestrictionCreated]));

        Assert.True(created.Succeeded, created.Message);
        var secret = created.Value!.Secret;
        Assert.StartsWith("whsec_", secret);
        await using var db = _database.Create();
        var stored = await db.Webhooks.SingleAsync();
        Assert.DoesNotContain(secret, Encoding.UTF8.GetString(stored.ProtectedSecret));
        Assert.Equal(secret, new WebhookSecrets(_protection).Unprotect(stored.ProtectedSecret));
        Assert.Equal(NotificationEvents.RestrictionCreated, stored.Events);
        Assert.All((await Service.ListAsync()).Select(r => r.ToString()), r => Assert.DoesNotContain(secret, r));
        var audit = await db.AuditEvents.SingleAsync(e => e.Entity == "Webhook");
        Assert.Equal(("admin", "Webhook added"), (audit.User, audit.Reason));
        Assert.DoesNotContain(secret, audit.After!);

        Assert.True((await Service.SetEnabledAsync(People.Admin2, stored.Id, false)).Succeeded);
        Assert.Equal("Webhook disabled", (await db.AuditEvents.OrderBy(e => e.Id).LastAsync()).Reason);
        Assert.True((await Service.DeleteAsync(People.Admin, stored.Id)).Succeeded);
        Assert.Equal("Webhook deleted", (await db.AuditEvents.OrderBy(e => e.Id).LastAsync()).Reason);
        Assert.Empty(await Compliance.Data.Audit.AuditTrail.FindDriftAsync(db));
    }

    [Fact]
    public async Task Officers_auditors_and_customers_cannot_manage_webhooks()
    {
        var input = new WebhookInput("SOC", _base + "/hook", []);
        foreach (var who in new[] { People.Officer, People.Auditor, People.Customer("acme"), People.Customer("acme", Roles.Administrator) })
        {
            Assert.True((await Service.CreateAsync(who, input)).Forbidden);
            Assert.True((await Service.SendTestAsync(who, 1)).Forbidden);
            Assert.True((await Service.SetEnabledAsync(who, 1, false)).Forbidden);
            Assert.True((await Service.DeleteAsync(who, 1)).Forbidden);
        }

        await using var db = _database.Create();
        Assert.Empty(await db.Webhooks.ToListAsync());
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_plain_http_is_refused_outside_development()
    {
        var errors = (await Service.CreateAsync(People.Admin, new WebhookInput(" ", "not a url", ["no.such.event"]))).ErrorsByField();
        Assert.StartsWith("Name:", errors["name"]);
        Assert.StartsWith("URL:", errors["url"]);
        Assert.Contains("no.such.event", errors["events"]);

        var production = new WebhookService(_database.Factory, new WebhookSecrets(_protection), _services.GetRequiredService<WebhookDelivery>(),
            new StaticMonitor(new OutboundOptions { RequireHttps = true }), _clock);
        var http = (await production.CreateAsync(People.Admin, new WebhookInput("SOC", "http://hooks.example.gov/x", []))).ErrorsByField();
        Assert.Contains("https://", http["url"]);
        Assert.True((await production.CreateAsync(People.Admin, new WebhookInput("SOC", "https://hooks.example.gov/x", []))).Succeeded);
    }

    [Fact]
    public async Task The_test_button_posts_a_timestamped_signature_the_receiver_verifies_and_records_status_and_time()
    {
        var created = (await Service.CreateAsync(People.Admin, new WebhookInput("SOC", _base + "/hook", []))).Value!;

        var outcome = await Service.SendTestAsync(People.Admin, created.Webhook.Id);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(204, outcome.Value!.StatusCode);
        var (_, body, signature) = Assert.Single(_received);
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", signature);
        Assert.True(WebhookSignature.VerifyTimestamped(created.Secret, Encoding.UTF8.GetBytes(body), signature, _clock.GetUtcNow()));
        Assert.False(WebhookSignature.VerifyTimestamped("whsec_wrong", Encoding.UTF8.GetBytes(body), signature, _clock.GetUtcNow()));
        Assert.False(WebhookSignature.VerifyTimestamped(created.Secret, Encoding.UTF8.GetBytes(body + " "), signature, _clock.GetUtcNow()));
        // A replay ten minutes later is refused by its timestamp.
        Assert.False(WebhookSignature.VerifyTimestamped(created.Secret, Encoding.UTF8.GetBytes(body), signature, _clock.GetUtcNow().AddMinutes(10)));
        Assert.Contains("\"type\":\"webhook.test\"", body);
        var row = Assert.Single(await Service.ListAsync());
        var delivery = Assert.Single(row.LastDeliveries);
        Assert.Equal((204, NotificationEvents.WebhookTest), (delivery.StatusCode, delivery.EventType));
        Assert.True(delivery.DurationMs >= 0);
    }

    [Fact]
    public async Task A_redirect_is_recorded_as_the_answer_and_not_followed()
    {
        var created = (await Service.CreateAsync(People.Admin, new WebhookInput("Moved", _base + "/moved", []))).Value!;

        var outcome = await Service.SendTestAsync(People.Admin, created.Webhook.Id);

        Assert.Equal(308, outcome.Value!.StatusCode);
        Assert.Contains("308", outcome.Value.Error);
        Assert.Empty(_received);
        // As a queued delivery it throws, so Hangfire retries it later.
        var delivery = _services.GetRequiredService<WebhookDelivery>();
        await Assert.ThrowsAsync<WebhookDeliveryException>(() => delivery.DeliverToAsync(created.Webhook.Id, "restriction.created", "e1", "{}", CancellationToken.None));
    }

    [Fact]
    public async Task A_published_event_reaches_enabled_subscribed_webhooks_only()
    {
        var wants = (await Service.CreateAsync(People.Admin, new WebhookInput("Wants", _base + "/hook", [NotificationEvents.ApprovalRequested]))).Value!;
        await Service.CreateAsync(People.Admin, new WebhookInput("Other", _base + "/hook", [NotificationEvents.CheckRunFailed]));
        var off = (await Service.CreateAsync(People.Admin, new WebhookInput("Off", _base + "/hook", []))).Value!;
        await Service.SetEnabledAsync(People.Admin, off.Webhook.Id, false);
        var jobs = new BackgroundJobClient(_storage);
        var publisher = new HangfireNotificationPublisher(jobs, _clock, NullLogger<HangfireNotificationPublisher>.Instance);

        var published = publisher.Publish(NotificationEvents.ApprovalRequested, new { approvalId = 7 });

        Assert.NotNull(published);
        var dispatch = Assert.Single(_storage.GetMonitoringApi().EnqueuedJobs("default", 0, 10)).Value.Job;
        Assert.Equal(nameof(NotificationDispatch.DispatchAsync), dispatch.Method.Name);
        var queued = await new NotificationDispatch(_database.Factory, jobs, Options.Create(new NotificationOptions()), new NotificationEmails(_database.Factory, new BackgroundJobClient(_storage), Options.Create(new SmtpOptions()), new NotificationRecipients(_database.Factory)), NullLogger<NotificationDispatch>.Instance)
            .DispatchAsync((string)dispatch.Args[0], (string)dispatch.Args[1], (string)dispatch.Args[2], CancellationToken.None);
        Assert.Equal(1, queued);
        var delivery = Assert.Single(_storage.GetMonitoringApi().EnqueuedJobs("default", 0, 10), j => j.Value.Job.Method.Name == nameof(WebhookDelivery.DeliverToAsync)).Value.Job;
        Assert.Equal(wants.Webhook.Id, (int)delivery.Args[0]);
    }

    private sealed class StaticMonitor(OutboundOptions value) : IOptionsMonitor<OutboundOptions>
    {
        public OutboundOptions CurrentValue => value;

        public OutboundOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<OutboundOptions, string?> listener) => null;
    }
}
