using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Tests.Security;
using Compliance.Web.Data;
using Compliance.Web.Data.DemoData;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Checks.Run;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace Compliance.Tests.Jobs;

/// <summary>
/// Scale-out for real: two published app processes (A and B) on one PostgreSQL database and its one Hangfire storage,
/// reached without sticky sessions (each request goes to whichever instance the test picks). Checks triggered on
/// either run once; a recurring job runs once per occurrence; a cookie and an antiforgery token from one are accepted by
/// the other, and a session signed out on one is refused by the other; SIGKILL of the instance running a check leaves
/// no run "Running" and no duplicate finding once the survivor has taken the orphaned job over.
/// </summary>
[Collection(HangfireStorageCollection.Name)]
public sealed class ScaleOutProcessesTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How long a job whose process died stays taken before the other instance runs it (production: 5 min).</summary>
    private static readonly TimeSpan OrphanTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly TestDatabase _database = new(DatabaseProvider.PostgreSql);
    private readonly List<AppProcess> _apps = [];

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        // Big enough that a check run lasts a moment on PostgreSQL (so the kill lands mid-run), small enough to load fast.
        await using var db = _database.Create();
        await InventoryGenerator.GenerateAsync(db, InventorySize.Scaled(150_000));
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Two_app_processes_on_one_postgresql_database_share_checks_recurring_jobs_and_sessions_and_survive_a_kill_mid_check()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b"); // after A: A created the Hangfire schema, as the first instance of a deployment does
        await WaitForIdleJobsAsync("the checks each instance queues when it starts");

        // A sign-in on A (the real OIDC code flow against A's embedded provider) works on B: one Data Protection key ring.
        using var officer = await BrowserSession.SignInAsync(a.Address, "officer");
        Assert.Equal(HttpStatusCode.OK, await GetAsync(b, "/api/v1/check-runs", officer.CookieHeader));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(b, "/api/v1/check-runs", null));

        // (a) Checks triggered on either instance: each job runs once, one check run each.
        var before = await LastRunIdAsync();
        var jobs = new List<string>();
        foreach (var app in new[] { a, b, a, b })
        {
            jobs.Add(await RequestCheckAsync(app, officer.CookieHeader));
        }

        Assert.Equal(jobs.Count, jobs.Distinct().Count());
        foreach (var job in jobs)
        {
            await WaitForAsync(async () => await JobStateAsync(job) == "Succeeded", $"check job {job} to succeed");
            Assert.Equal(1, await ProcessingCountAsync(job));
        }

        var triggered = await RunsAfterAsync(before);
        Assert.Equal(jobs.Count, triggered.Count);
        Assert.All(triggered, r => Assert.Equal((CheckTrigger.Change, CheckRunStatus.Succeeded), (r.Trigger, r.Status)));
        output.WriteLine($"Triggered checks ran on: {string.Join(", ", await Task.WhenAll(jobs.Select(ProcessedByAsync)))}");
        var findings = await FindingsAsync();
        Assert.NotEmpty(findings);

        // (b) The recurring check every 5 s for a while: both schedulers are live, each occurrence makes one job.
        await RecurringOccurrencesRunOnceAsync();

        // (c) An antiforgery token from A signs out on B, and the cookie of the session B ended is refused by A too.
        using (var leaving = await BrowserSession.SignInAsync(b.Address, "auditor"))
        {
            var cookie = leaving.CookieHeader;
            Assert.Equal(HttpStatusCode.OK, await GetAsync(a, "/api/v1/check-runs", cookie));
            var (token, withAntiforgery) = await AntiforgeryAsync(a, cookie);
            var signOut = await PostFormAsync(b, "/account/logout", withAntiforgery, new() { ["__RequestVerificationToken"] = token });
            Assert.True(signOut == HttpStatusCode.Redirect, $"Sign-out on B with A's antiforgery token answered {signOut}.");
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(a, "/api/v1/check-runs", cookie));
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(b, "/api/v1/check-runs", cookie));
        }

        // (d) SIGKILL of the instance running a check: the survivor takes the orphaned job over and finishes the work.
        var last = await LastRunIdAsync();
        var orphan = await RequestCheckAsync(b, officer.CookieHeader);
        var running = await WaitForAsync(async () => (await RunsAfterAsync(last)).FirstOrDefault(r => r.Status == CheckRunStatus.Running), "a running check");
        var holder = await LockHolderAsync() ?? throw new InvalidOperationException(
            $"No instance held the check-run lock while run {running.Id} was Running: it finished first; give the test a bigger inventory.");
        var (victim, survivor) = holder == a.Name ? (a, b) : (b, a);
        await victim.KillAsync();
        var afterKill = (await RunsAfterAsync(last)).Single(r => r.Id == running.Id).Status;
        Assert.True(afterKill == CheckRunStatus.Running,
            $"Check run {running.Id} was {afterKill} when {victim.Name} was killed: it finished first; give the test a bigger inventory.");
        output.WriteLine($"Killed {victim.Name} (pid {victim.Process.Id}) during check run {running.Id} (job {orphan}).");

        var resumed = await WaitForAsync(async () => (await RunsAfterAsync(running.Id)).FirstOrDefault(r => r.Status == CheckRunStatus.Succeeded),
            $"{survivor.Name} to run the orphaned check job again (after {OrphanTimeout.TotalSeconds:0} s)");
        await WaitForAsync(async () => await JobStateAsync(orphan) == "Succeeded", $"job {orphan} to succeed on {survivor.Name}");
        Assert.Contains($":{survivor.Process.Id}:", await ProcessedByAsync(orphan));
        Assert.Equal(2, await ProcessingCountAsync(orphan)); // taken by the victim, then by the survivor: not lost, not run a third time
        await WaitForIdleJobsAsync("the survivor's queue to drain");

        var runs = await RunsAfterAsync(last);
        Assert.DoesNotContain(runs, r => r.Status == CheckRunStatus.Running);
        var interrupted = runs.Single(r => r.Id == running.Id);
        Assert.Equal((CheckRunStatus.Failed, InterruptedRuns.Message), (interrupted.Status, interrupted.Error));
        Assert.True(resumed.Id > running.Id);
        Assert.Equal(findings, await FindingsAsync()); // the same inventory: the same findings, none written twice
    }

    private async Task<AppProcess> StartAsync(string name)
    {
        // One key-ring certificate for every instance, as docs/deployment.md asks (each instance's data folder is its own).
        var certificate = Path.Combine(_database.Folder, "key-ring.pfx");
        using (DataFolderCertificates.LoadOrCreate(certificate, "CN=Scale-out test key ring", X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, TimeSpan.Zero))
        {
        }

        var connection = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { ApplicationName = "compliance-" + name };
        var app = AppProcess.Start(name, new Dictionary<string, string>
        {
            ["Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:Compliance"] = connection.ConnectionString,
            ["Jobs:OrphanTimeout"] = OrphanTimeout.ToString(),
            ["Jobs:WorkerCount"] = "2",
            ["Checks:Schedule"] = Cron.Yearly(), // the test sets the recurring check's occurrences itself
            ["DataProtection:Certificate:Path"] = certificate,
            ["DataProtection:Certificate:Password"] = File.ReadAllText(certificate + ".password").Trim(),
        }, output);
        _apps.Add(app);
        await app.WaitUntilReadyAsync(Patience);
        return app;
    }

    private async Task RecurringOccurrencesRunOnceAsync()
    {
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(_database.ConnectionString, new PostgreSqlStorageOptions()),
            new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false });
        HangfireStorageCollection.UseSilentHangfireLogs(); // a disposed host's logger factory may still be Hangfire's global one
        var manager = new RecurringJobManager(storage);
        var check = Job.FromExpression<CheckJob>(j => j.RunScheduledAsync(CancellationToken.None));
        var before = await LastRunIdAsync();
        var earlier = (await RecurringJobsAsync()).Count; // none: the instances' own schedule is yearly
        manager.AddOrUpdate(CheckJob.RecurringId, check, "*/5 * * * * *", new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        await WaitForAsync(async () => (await RecurringJobsAsync()).Count >= earlier + 4, "four occurrences of the recurring check");
        manager.AddOrUpdate(CheckJob.RecurringId, check, Cron.Yearly(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        await WaitForIdleJobsAsync("the recurring checks to finish");

        var occurrences = (await RecurringJobsAsync()).Skip(earlier).ToList();
        output.WriteLine($"Recurring occurrences: {string.Join(", ", occurrences.Select(o => $"{o.Time:HH:mm:ss} → job {o.JobId}"))}");
        Assert.Equal(occurrences.Count, occurrences.Select(o => o.Time).Distinct().Count()); // no occurrence made two jobs
        foreach (var (job, _) in occurrences)
        {
            Assert.Equal("Succeeded", await JobStateAsync(job));
            Assert.Equal(1, await ProcessingCountAsync(job));
        }

        var scheduled = (await RunsAfterAsync(before)).Where(r => r.Trigger == CheckTrigger.Scheduled).ToList();
        Assert.Equal(occurrences.Count, scheduled.Count); // one check run per occurrence
        Assert.All(scheduled, r => Assert.Equal(CheckRunStatus.Succeeded, r.Status));
    }

    private async Task<string> RequestCheckAsync(AppProcess app, string cookie)
    {
        using var client = Client(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/check-runs");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/v1/check-runs on {app.Name}: {response.StatusCode}{Environment.NewLine}{app.Tail()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("jobId").GetString() is { Length: > 0 } id ? id : throw new InvalidOperationException($"No job id from {app.Name}: {body}");
    }

    private static HttpClient Client(AppProcess app) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<HttpStatusCode> GetAsync(AppProcess app, string path, string? cookie)
    {
        using var client = Client(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>An antiforgery token the app issues to the session, and the cookies to send with it (its cookie added).</summary>
    private static async Task<(string Token, string Cookies)> AntiforgeryAsync(AppProcess app, string cookie)
    {
        using var client = Client(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/verify");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        var issued = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];
        return (BrowserSession.AntiforgeryToken(await response.Content.ReadAsStringAsync()), string.Join("; ", [cookie, .. issued]));
    }

    private static async Task<HttpStatusCode> PostFormAsync(AppProcess app, string path, string cookie, Dictionary<string, string> fields)
    {
        using var client = Client(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Patience)
        {
            if (await probe() is { } found && found is not false)
            {
                return found;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"Waited {Patience.TotalSeconds:0} s for {what}.{Environment.NewLine}{string.Join(Environment.NewLine, _apps.Select(app => app.Tail()))}");
        throw new UnreachableException();
    }

    private Task WaitForIdleJobsAsync(string what) => WaitForAsync(async () =>
        await ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename IN ('Enqueued', 'Processing', 'Scheduled', 'Awaiting')") == 0, what);

    private async Task<int> LastRunIdAsync()
    {
        await using var db = _database.Create();
        return await db.CheckRuns.MaxAsync(r => (int?)r.Id) ?? 0;
    }

    private async Task<List<CheckRun>> RunsAfterAsync(int id)
    {
        await using var db = _database.Create();
        return await db.CheckRuns.AsNoTracking().Where(r => r.Id > id).OrderBy(r => r.Id).ToListAsync();
    }

    /// <summary>Every finding's key and state: equal lists mean nothing was added, lost or written twice.</summary>
    private async Task<List<string>> FindingsAsync()
    {
        await using var db = _database.Create();
        var rows = await db.Findings.AsNoTracking().OrderBy(f => f.BindingId).ThenBy(f => f.Rule)
            .Select(f => new { f.Id, f.BindingId, f.Rule, f.Status }).ToListAsync();
        Assert.Equal(rows.Count, rows.Select(f => (f.BindingId, f.Rule)).Distinct().Count());
        return rows.Select(f => $"{f.Id}:{f.BindingId}:{f.Rule}:{f.Status}").ToList();
    }

    private Task<string?> JobStateAsync(string job) =>
        ScalarAsync<string>("SELECT statename FROM hangfire.job WHERE id = @job", ("job", long.Parse(job)));

    /// <summary>How many times a worker took the job (a Processing state each time).</summary>
    private async Task<int> ProcessingCountAsync(string job) =>
        (int)await ScalarAsync<long>("SELECT count(*) FROM hangfire.state WHERE jobid = @job AND name = 'Processing'", ("job", long.Parse(job)));

    /// <summary>The Hangfire server (<c>machine:pid:guid</c>) of the job's last Processing state.</summary>
    private async Task<string> ProcessedByAsync(string job)
    {
        var data = await ScalarAsync<string>("SELECT data::text FROM hangfire.state WHERE jobid = @job AND name = 'Processing' ORDER BY id DESC LIMIT 1", ("job", long.Parse(job)));
        return data is null ? "(none)" : JsonDocument.Parse(data).RootElement.GetProperty("ServerId").GetString()!;
    }

    /// <summary>The jobs the recurring check made, with the occurrence each was made for.</summary>
    private async Task<List<(string JobId, DateTime Time)>> RecurringJobsAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT r.jobid, t.value FROM hangfire.jobparameter r
            JOIN hangfire.jobparameter t ON t.jobid = r.jobid AND t.name = 'Time'
            WHERE r.name = 'RecurringJobId' AND r.value = @id ORDER BY r.jobid
            """, connection);
        command.Parameters.AddWithValue("id", JsonSerializer.Serialize(CheckJob.RecurringId));
        var jobs = new List<(string, DateTime)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            jobs.Add((reader.GetInt64(0).ToString(), DateTimeOffset.FromUnixTimeSeconds(long.Parse(reader.GetString(1))).UtcDateTime));
        }

        return jobs;
    }

    /// <summary>The instance (its connections' application name) holding the check-run advisory lock.</summary>
    private async Task<string?> LockHolderAsync()
    {
        var holder = await ScalarAsync<string>("""
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND (l.classid::bigint << 32 | l.objid::bigint) = @key
            """, ("key", CheckRunLock.Key));
        return holder?.Replace("compliance-", "", StringComparison.Ordinal);
    }

    private async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync() is T value2 ? value2 : default;
    }
}
