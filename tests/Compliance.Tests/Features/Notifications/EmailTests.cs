using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Notifications;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Data;

namespace Compliance.Tests.Features.Notifications;

/// <summary>
/// Emails composed from real events over the demo data, sent with MailKit to a real SMTP server (aiosmtpd) and read
/// back with MimeKit: recipients, subject, both bodies, and each person's opt-out.
/// </summary>
public abstract class EmailTests(DatabaseProvider provider) : IAsyncLifetime
{
    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnSqlite() : EmailTests(DatabaseProvider.Sqlite);

    [Collection(HangfireStorageCollection.Name)]
    public sealed class OnPostgreSql() : EmailTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private SmtpServer _smtp = null!;
    private SQLiteStorage _storage = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        HangfireStorageCollection.UseSilentHangfireLogs();
        _storage = new SQLiteStorage(Path.Combine(_database.Folder, "hangfire.db"), new SQLiteStorageOptions());
        _smtp = await SmtpServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _smtp.DisposeAsync();
        _storage.Dispose();
        await _database.DisposeAsync();
    }

    private IOptions<SmtpOptions> Smtp() => Options.Create(new SmtpOptions
    {
        Host = "127.0.0.1", Port = _smtp.Port, Security = SmtpSecurity.None, From = "compliance@agency.example", AppUrl = "https://compliance.agency.example",
    });

    private NotificationEmails Emails() => new(_database.Factory, new BackgroundJobClient(_storage), Smtp(), new NotificationRecipients(_database.Factory));

    private async Task SendAllAsync(IEnumerable<EmailMessage> messages)
    {
        var sender = new EmailSender(Smtp(), NullLogger<EmailSender>.Instance);
        foreach (var message in messages)
        {
            await sender.SendAsync(message, CancellationToken.None);
        }
    }

    private async Task AddPersonAsync(string subject, string email, string roles, NotificationPreference? preference = null)
    {
        await using var db = _database.Create();
        db.People.Add(new Person { Subject = subject, DisplayName = subject, Email = email, Roles = roles, FirstSeenAt = _clock.UtcNow });
        if (preference is not null)
        {
            db.NotificationPreferences.Add(preference);
        }

        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Owners_and_customer_contacts_hit_by_a_restriction_get_one_email_each_unless_they_opted_out()
    {
        // A real run opens the restricted findings; then three of the hit workloads get owner addresses (the emails are
        // composed when the event is dispatched, from the rows as they are then). One owner address is a person who opted out.
        var run = await new CheckRunner(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance).RunAsync(CheckTrigger.Manual, CancellationToken.None);
        string[] workloads;
        await using (var db = _database.Create())
        {
            var restrictedIds = await db.Findings.Where(f => f.Rule == FindingRule.Restricted).Select(f => f.Binding!.WorkloadId).Distinct().OrderBy(i => i).Take(3).ToListAsync();
            Assert.Equal(3, restrictedIds.Count);
            var rows = await db.Workloads.Where(w => restrictedIds.Contains(w.Id)).OrderBy(w => w.Id).ToListAsync();
            rows[0].OwnerEmail = "rivera@acme.example";
            rows[1].OwnerEmail = "chen@acme.example";
            rows[2].OwnerEmail = "muted@acme.example";
            workloads = [.. rows.Select(w => w.Name)];
            await db.SaveChangesAsync();
        }

        await AddPersonAsync("muted", "Muted@acme.example", Roles.ComplianceOfficer, new NotificationPreference { Subject = "muted", RestrictionEmails = false });
        var body = NotificationEvent.Create(NotificationEvents.FindingOpened, _clock.UtcNow,
            new FindingsChanged(run.Id, run.StartedAt, run.FinishedAt!.Value, run.FindingsOpened, [], "/findings")).ToJson();

        var messages = await Emails().ComposeAsync(NotificationEvents.FindingOpened, body, CancellationToken.None);
        await SendAllAsync(messages);

        var received = _smtp.Messages();
        var to = received.SelectMany(m => m.EnvelopeTo).ToList();
        Assert.Contains("rivera@acme.example", to);
        Assert.Contains("chen@acme.example", to);
        Assert.DoesNotContain("muted@acme.example", to, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("compliance@acme.example", to); // Acme (Defense) is hit: its contact hears of it
        Assert.Equal(to.Count, to.Distinct(StringComparer.OrdinalIgnoreCase).Count()); // one email per address
        var rivera = received.Single(m => m.EnvelopeTo.Contains("rivera@acme.example")).Message;
        Assert.Equal("rivera@acme.example", rivera.To.Mailboxes.Single().Address);
        Assert.Equal("compliance@agency.example", rivera.From.Mailboxes.Single().Address);
        Assert.StartsWith("Restricted: 1 workload binding", rivera.Subject);
        Assert.Contains(workloads[0], rivera.TextBody);
        Assert.DoesNotContain(workloads[1], rivera.TextBody);
        Assert.Contains("https://compliance.agency.example/findings", rivera.TextBody);
        Assert.Contains("<li>", rivera.HtmlBody);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(workloads[0]), rivera.HtmlBody);
        Assert.Contains("/notifications/preferences", rivera.HtmlBody);
    }

    [Fact]
    public async Task An_approval_request_emails_the_other_administrators_who_want_it()
    {
        await AddPersonAsync("admin", "adam@agency.example", Roles.Administrator);
        await AddPersonAsync("admin2", "ada@agency.example", Roles.Administrator);
        await AddPersonAsync("admin3", "quiet@agency.example", Roles.Administrator, new NotificationPreference { Subject = "admin3", ApprovalEmails = false });
        await AddPersonAsync("officer", "olivia@agency.example", Roles.ComplianceOfficer);
        int approvalId;
        await using (var db = _database.Create())
        {
            var model = await db.Models.OrderBy(m => m.Id).FirstAsync();
            var approval = new Approval
            {
                ModelId = model.Id, Status = ApprovalStatus.Requested, MaxImpactLevel = ImpactLevel.IL4, Usages = Usages.Inference,
                Justification = "Needed for <the> summariser", RequestedBy = "admin", RequestedAt = _clock.UtcNow, ValidFrom = _clock.UtcNow,
            };
            db.Approvals.Add(approval);
            await db.SaveChangesAsync();
            approvalId = approval.Id;
        }

        var body = NotificationEvent.Create(NotificationEvents.ApprovalRequested, _clock.UtcNow, new { approvalId, requestedBy = "admin" }).ToJson();
        await SendAllAsync(await Emails().ComposeAsync(NotificationEvents.ApprovalRequested, body, CancellationToken.None));

        var (envelope, message) = Assert.Single(_smtp.Messages());
        Assert.Equal(["ada@agency.example"], envelope);
        Assert.StartsWith("Approval waiting for you: ", message.Subject);
        Assert.Contains("Needed for <the> summariser", message.TextBody);
        Assert.Contains("Needed for &lt;the&gt; summariser", message.HtmlBody);
        Assert.Contains($"https://compliance.agency.example/approvals/{approvalId}", message.TextBody);
    }

    [Fact]
    public async Task Officers_get_a_daily_digest_unless_they_turned_it_off()
    {
        await AddPersonAsync("officer", "olivia@agency.example", Roles.ComplianceOfficer);
        await AddPersonAsync("officer2", "off@agency.example", Roles.ComplianceOfficer, new NotificationPreference { Subject = "officer2", DailyDigest = false });
        await AddPersonAsync("admin", "adam@agency.example", Roles.Administrator);
        await new CheckRunner(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance).RunAsync(CheckTrigger.Manual, CancellationToken.None);
        int open;
        await using (var db = _database.Create())
        {
            open = await db.Findings.CountAsync(f => f.Status == FindingStatus.Open);
        }

        var digest = new OfficerDigest(_database.Factory, new NotificationRecipients(_database.Factory), new BackgroundJobClient(_storage), Smtp(),
            Options.Create(new NotificationOptions()), _clock);
        Assert.Equal(1, await digest.SendAsync(CancellationToken.None)); // queued as a Hangfire job
        var queued = Assert.Single(_storage.GetMonitoringApi().EnqueuedJobs("default", 0, 10)).Value.Job;
        await SendAllAsync([(EmailMessage)queued.Args[0]]);

        var (envelope, message) = Assert.Single(_smtp.Messages());
        Assert.Equal(["olivia@agency.example"], envelope);
        Assert.Contains($"{open} open findings", message.Subject);
        Assert.Contains($"Open findings: {open} (", message.TextBody);
        Assert.Contains("Approval requests waiting", message.HtmlBody);
    }

    [Fact]
    public async Task Nothing_is_composed_or_queued_without_smtp_settings()
    {
        await AddPersonAsync("admin2", "ada@agency.example", Roles.Administrator);
        var emails = new NotificationEmails(_database.Factory, new BackgroundJobClient(_storage), Options.Create(new SmtpOptions()), new NotificationRecipients(_database.Factory));
        var body = NotificationEvent.Create(NotificationEvents.ApprovalRequested, _clock.UtcNow, new { approvalId = 1, requestedBy = "admin" }).ToJson();

        Assert.Equal(0, await emails.QueueAsync(NotificationEvents.ApprovalRequested, body, CancellationToken.None));
        Assert.Equal(0, _storage.GetMonitoringApi().EnqueuedCount("default"));
        using var json = JsonDocument.Parse(body);
        Assert.Equal("approval.requested", json.RootElement.GetProperty("type").GetString());
    }
}
