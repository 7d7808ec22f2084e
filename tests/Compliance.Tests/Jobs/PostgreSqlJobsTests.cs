using System.Diagnostics;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Jobs;

/// <summary>
/// Hangfire on PostgreSQL storage, the production set-up: two app hosts with job servers on one database share the
/// queue, and a job enqueued on either runs once (the SQLite storage cannot promise that, hence single-instance).
/// </summary>
[Collection(HangfireStorageCollection.Name)]
public sealed class PostgreSqlJobsTests : IAsyncLifetime
{
    private Host _a = null!, _b = null!;

    private sealed class Host(string? connectionString) : ComplianceAppFactory(DatabaseProvider.PostgreSql)
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Jobs:Enabled"] = "true";
                settings["Checks:TriggerDelaySeconds"] = "0";
                if (connectionString is not null)
                {
                    settings["ConnectionStrings:Compliance"] = connectionString;
                }

                return settings;
            }
        }
    }

    public Task InitializeAsync()
    {
        _a = new Host(null);
        _a.CreateClient().Dispose(); // migrates, seeds and creates the Hangfire schema first
        _b = new Host(_a.ConnectionString);
        _b.CreateClient().Dispose();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task Checks_enqueued_on_either_instance_each_run_once_on_the_shared_postgresql_storage()
    {
        // Each instance scheduled a first check when it started: those count too.
        var ids = new[] { _a, _b }.Select(h => h.Services.GetRequiredService<CheckScheduler>().LastJobId).OfType<string>().ToList();
        foreach (var host in new[] { _a, _b, _a, _b })
        {
            ids.Add(host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<CheckJob>(j => j.RunAfterChangeAsync(CancellationToken.None)));
        }

        var storage = _a.Services.GetRequiredService<JobStorage>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(120) && !ids.All(id => State(storage, id) == SucceededState.StateName))
        {
            await Task.Delay(250);
        }

        Assert.All(ids, id => Assert.Equal(SucceededState.StateName, State(storage, id)));
        await using var db = await _a.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        var runs = await db.CheckRuns.Where(r => r.Trigger == CheckTrigger.Change).ToListAsync();
        Assert.Equal(ids.Count, runs.Count); // one run per job: none ran twice
        Assert.All(runs, r => Assert.Equal(CheckRunStatus.Succeeded, r.Status));
        var findings = await db.Findings.Select(f => new { f.BindingId, f.Rule }).ToListAsync();
        Assert.Equal(findings.Count, findings.Distinct().Count());
    }

    private static string? State(JobStorage storage, string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(id)?.Name;
    }
}
