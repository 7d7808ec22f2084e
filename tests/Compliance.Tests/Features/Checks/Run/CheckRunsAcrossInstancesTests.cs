using Compliance.Data.Audit;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Checks.Run;

/// <summary>
/// Several app instances on one PostgreSQL database: each has its own <see cref="CheckRunner"/> (its own in-process
/// semaphore), so only the database can keep their runs and their audit events in order. Each runner here stands
/// for an instance; the database and its concurrency are real.
/// </summary>
public sealed class CheckRunsAcrossInstancesTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new(DatabaseProvider.PostgreSql);
    private readonly TestClock _clock = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private CheckRunner Instance() => new(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance);

    [Fact]
    public async Task Checks_started_on_two_instances_at_once_run_one_after_the_other_and_write_each_finding_once()
    {
        await Task.WhenAll(
            Instance().RunAsync(CheckTrigger.Manual, CancellationToken.None),
            Instance().RunAsync(CheckTrigger.Manual, CancellationToken.None),
            Instance().RunForModelAsync(1, CancellationToken.None));

        await using var db = _database.Create();
        Assert.All(await db.CheckRuns.ToListAsync(), r => Assert.Equal(CheckRunStatus.Succeeded, r.Status)); // neither saw the other as interrupted
        Assert.Equal(2, await db.CheckRuns.CountAsync());
        var findings = await db.Findings.Select(f => new { f.BindingId, f.Rule }).ToListAsync();
        Assert.Equal(findings.Count, findings.Distinct().Count());
        Assert.Null(await AuditTrail.VerifyAsync(db));
        Assert.Empty(await AuditTrail.FindDriftAsync(db));
    }

    [Fact]
    public async Task A_check_waits_while_another_instance_runs_one_and_marks_a_killed_instances_run_failed()
    {
        // The "other instance": it holds the run lock on its own session and has a run marked Running.
        await using (var db = _database.Create(CheckRunner.Actor))
        {
            db.CheckRuns.Add(new CheckRun { StartedAt = _clock.UtcNow.AddMinutes(-1), Status = CheckRunStatus.Running, Trigger = CheckTrigger.Scheduled });
            await db.SaveChangesAsync();
        }

        var other = new NpgsqlConnection(_database.ConnectionString);
        await other.OpenAsync();
        int otherPid;
        await using (var take = new NpgsqlCommand($"SELECT pg_backend_pid(), pg_advisory_lock({CheckRunLock.Key})", other))
        await using (var r = await take.ExecuteReaderAsync())
        {
            await r.ReadAsync();
            otherPid = r.GetInt32(0);
        }

        var waiting = Instance().RunAsync(CheckTrigger.Manual, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(waiting.IsCompleted, "a check must wait while another instance holds the run");

        // kill -9 of that instance, as the server sees it: its session ends without a word.
        await using (var admin = new NpgsqlConnection(_database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({otherPid})", admin);
            await kill.ExecuteNonQueryAsync();
        }

        var run = await waiting.WaitAsync(TimeSpan.FromMinutes(1));
        await other.DisposeAsync();

        await using var check = _database.Create();
        var runs = await check.CheckRuns.OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([CheckRunStatus.Failed, CheckRunStatus.Succeeded], runs.Select(r => r.Status));
        Assert.Contains("Interrupted", runs[0].Error);
        Assert.Equal(run.Id, runs[1].Id);
        Assert.DoesNotContain(runs, r => r.Status == CheckRunStatus.Running);
    }

    [Fact]
    public async Task Saves_from_many_instances_at_once_keep_one_unbroken_audit_chain()
    {
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            await using var db = _database.Create($"person-{i}");
            db.Customers.Add(new Customer { Code = $"parallel-{i}", Name = $"Parallel {i}", Sector = Sector.Civilian });
            await db.SaveChangesAsync();
        }));

        await using var check = _database.Create();
        Assert.Null(await AuditTrail.VerifyAsync(check));
        var previous = await check.AuditEvents.Select(e => e.PreviousHash).ToListAsync();
        Assert.Equal(previous.Count, previous.Distinct().Count()); // no two events claim the same predecessor: no fork
    }
}
