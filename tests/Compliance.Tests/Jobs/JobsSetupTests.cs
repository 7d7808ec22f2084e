using System.Diagnostics;
using System.Net;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Checks;
using Compliance.Web.Jobs;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Jobs;

[Collection(HangfireStorageCollection.Name)]
public sealed class JobsSetupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("compliance-jobs-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The real app on a database and Hangfire storage in a folder that outlives the host, with or without the job server.</summary>
    private sealed class Host(string folder, bool jobs, bool testSignIn = false) : ComplianceAppFactory
    {
        protected override Dictionary<string, string?> Settings => new()
        {
            ["ConnectionStrings:Compliance"] = $"Data Source={Path.Combine(folder, "compliance.db")}",
            ["DemoData:Enabled"] = "true",
            ["Jobs:Enabled"] = jobs ? "true" : "false",
            ["Checks:TriggerDelaySeconds"] = "0",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (testSignIn)
            {
                builder.ConfigureTestServices(TestAuthentication.Use);
            }
        }
    }

    private static async Task<string> WaitForStateAsync(IServiceProvider services, string jobId, params string[] states)
    {
        var storage = services.GetRequiredService<JobStorage>();
        var watch = Stopwatch.StartNew();
        string? state = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            using (var connection = storage.GetConnection())
            {
                state = connection.GetStateData(jobId)?.Name;
            }

            if (state is not null && states.Contains(state))
            {
                return state;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Job {jobId} is still {state ?? "unknown"} after {watch.Elapsed}.");
    }

    private static async Task<List<CheckRun>> CheckRunsAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        return await db.CheckRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
    }

    [Fact]
    public async Task Each_feature_schedules_its_own_recurring_jobs_and_a_first_check_runs_at_start()
    {
        await using var host = new Host(_folder, jobs: true);
        _ = host.Services; // starts the app

        using (var connection = host.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var ids = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Select(j => j.Id).ToList();
            string[] expected =
            [
                CheckJob.RecurringId, "attestations-monthly", "approval-expiry",
                Compliance.Web.Features.Notifications.CheckNotifier.DeadlineJobId, Compliance.Web.Features.Audit.AuditVerifier.RecurringId,
            ];
            Assert.All(expected, id => Assert.Contains(id, ids));
        }

        var watch = Stopwatch.StartNew();
        while ((await CheckRunsAsync(host.Services)).Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }

        Assert.NotEmpty(await CheckRunsAsync(host.Services));
    }

    [Fact]
    public async Task No_recurring_job_is_scheduled_where_jobs_are_disabled()
    {
        await using var host = new Host(_folder, jobs: false);
        _ = host.Services;

        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Empty(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection));
    }

    [Fact]
    public async Task Enqueued_check_is_processed_on_the_sqlite_storage()
    {
        await using var host = new Host(_folder, jobs: true);
        var client = host.Services.GetRequiredService<IBackgroundJobClient>();

        var id = client.Enqueue<CheckJob>(j => j.RunAfterChangeAsync(CancellationToken.None));

        Assert.Equal(SucceededState.StateName, await WaitForStateAsync(host.Services, id, SucceededState.StateName, FailedState.StateName));
        var runs = await CheckRunsAsync(host.Services);
        Assert.Contains(runs, r => r.Trigger == CheckTrigger.Change && r.Status == CheckRunStatus.Succeeded && r.BindingsEvaluated > 300);
        Assert.True(File.Exists(Path.Combine(_folder, JobsSetup.HangfireFileName)));
    }

    [Fact]
    public async Task Check_enqueued_before_a_restart_completes_after_it()
    {
        string id;
        await using (var before = new Host(_folder, jobs: false))
        {
            id = before.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<CheckJob>(j => j.RunAfterChangeAsync(CancellationToken.None));
            await Task.Delay(1500); // no server in this process: the job stays queued
            using var connection = before.Services.GetRequiredService<JobStorage>().GetConnection();
            Assert.Equal(EnqueuedState.StateName, connection.GetStateData(id).Name);
            Assert.Empty(await CheckRunsAsync(before.Services));
        }

        await using var after = new Host(_folder, jobs: true);
        Assert.Equal(SucceededState.StateName, await WaitForStateAsync(after.Services, id, SucceededState.StateName, FailedState.StateName));
        Assert.Contains(await CheckRunsAsync(after.Services), r => r.Trigger == CheckTrigger.Change && r.Status == CheckRunStatus.Succeeded);
    }

    [Fact]
    public async Task New_restriction_is_checked_within_seconds_and_refused_by_the_decision()
    {
        await using var host = new Host(_folder, jobs: true);
        var factory = host.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>();
        Model model;
        Workload workload;
        await using (var db = await factory.CreateDbContextAsync())
        {
            // A Meta model serving a Defense workload: not restricted by the demo data.
            var binding = await db.Bindings.Include(b => b.Model).Include(b => b.Workload)
                .Where(b => b.Model!.Provider == "Meta" && b.Workload!.Customer!.Sector == Sector.Defense).OrderBy(b => b.Id).FirstAsync();
            (model, workload) = (binding.Model!, binding.Workload!);
        }

        var decisions = host.Services.GetRequiredService<DecisionService>();
        var before = await decisions.DecideAsync(model.Id, workload.Id, Usage.Inference, CancellationToken.None);
        Assert.DoesNotContain(before!.Reasons, r => r.Rule == FindingRule.Restricted);

        int restrictionId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var restriction = new Restriction
            {
                Provider = "Meta", Sectors = Sectors.Defense, EffectiveFrom = DateTime.UtcNow.AddSeconds(-1), TransitionDeadline = DateTime.UtcNow.AddDays(30),
                Reason = "Test: vendor restricted for defense work.", CreatedBy = "admin", CreatedAt = DateTime.UtcNow,
            };
            db.As("admin").Restrictions.Add(restriction);
            await db.SaveChangesAsync();
            restrictionId = restriction.Id;
        }

        var watch = Stopwatch.StartNew();
        host.Services.GetRequiredService<CheckScheduler>().RequestSoon();
        var after = await decisions.DecideAsync(model.Id, workload.Id, Usage.Inference, CancellationToken.None);
        Assert.Contains(after!.Reasons, r => r.Rule == FindingRule.Restricted && r.RestrictionId == restrictionId);

        while (true)
        {
            await using var db = await factory.CreateDbContextAsync();
            if (await db.Findings.AnyAsync(f => f.RestrictionId == restrictionId && f.Status == FindingStatus.Open))
            {
                break;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "no Restricted finding for the new restriction after 60 s");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Recurring_check_is_registered_with_the_configured_schedule()
    {
        await using var host = new Host(_folder, jobs: true);
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        var recurring = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection);
        var check = Assert.Single(recurring, r => r.Id == CheckJob.RecurringId);
        Assert.Equal("*/15 * * * *", check.Cron);
    }

    [Fact]
    public async Task Burst_of_change_requests_schedules_one_check()
    {
        await using var host = new Host(_folder, jobs: false);
        var scheduler = new CheckScheduler(
            host.Services.GetRequiredService<IBackgroundJobClient>(), host.Services.GetRequiredService<ReferenceDataCache>(),
            Microsoft.Extensions.Options.Options.Create(new CheckOptions { TriggerDelaySeconds = 60 }), TimeProvider.System);

        Assert.True(scheduler.RequestSoon());
        var first = scheduler.LastJobId;
        Assert.False(scheduler.RequestSoon());
        Assert.False(scheduler.RequestSoon());
        Assert.Equal(first, scheduler.LastJobId);
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Equal(ScheduledState.StateName, connection.GetStateData(first!).Name);
    }

    [Fact]
    public async Task Dashboard_and_decisions_need_a_signed_in_user()
    {
        await using var host = new Host(_folder, jobs: false);
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var path in new[] { "/jobs", "/api/v1/decisions?model=1&workload=1" })
        {
            var response = await client.GetAsync(path);
            // The app's own sign-in decides between a 401 and a redirect to it; never the content.
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.Found,
                $"{path}: {response.StatusCode}");
        }
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(Roles.Auditor, HttpStatusCode.Forbidden)]
    [InlineData(Roles.ComplianceOfficer, HttpStatusCode.Forbidden)]
    [InlineData(Roles.Administrator, HttpStatusCode.OK)]
    public async Task Dashboard_is_for_administrators_only(string? role, HttpStatusCode expected)
    {
        await using var host = new Host(_folder, jobs: false, testSignIn: true);
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (role is not null)
        {
            client.DefaultRequestHeaders.Add(TestAuthentication.UserHeader, "someone");
            client.DefaultRequestHeaders.Add(TestAuthentication.RoleHeader, role);
        }

        var response = await client.GetAsync("/jobs");
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Contains("AI Model Compliance", await response.Content.ReadAsStringAsync());
        }
    }
}
