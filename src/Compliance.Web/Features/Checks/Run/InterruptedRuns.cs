using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// At start-up, before this process's job server starts, marks check runs left "Running" by a server that is gone
/// (killed mid-run) as interrupted, so the dashboard and the API stop showing them as in progress. On the embedded
/// SQLite job storage only one instance ever runs (decision: single instance), so any run still Running is dead. On a
/// shared storage another instance may be running one: they are marked only when no other server has a recent
/// heartbeat; otherwise the next run marks them (CheckRunner does so before it starts).
/// </summary>
public sealed class InterruptedRuns(
    IDbContextFactory<ComplianceDb> factory,
    DatabaseOptions database,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<InterruptedRuns> log) : IHostedService
{
    /// <summary>A server whose heartbeat is older than this is taken for dead (Hangfire's heartbeat is every 30 s).</summary>
    public static readonly TimeSpan LiveHeartbeat = TimeSpan.FromMinutes(1);

    public const string Message = "Interrupted: the process stopped before the run finished; this run's findings were rolled back.";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (database.Provider != DatabaseProvider.Sqlite && AnotherServerIsAlive(now))
        {
            return;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var marked = await db.CheckRuns.Where(r => r.Status == CheckRunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, CheckRunStatus.Failed)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Error, Message), cancellationToken);
        if (marked > 0)
        {
            log.LogWarning("Marked {Count} check runs of a stopped server as interrupted.", marked);
        }
    }

    private bool AnotherServerIsAlive(DateTime now)
    {
        try
        {
            var storage = services.GetService<JobStorage>();
            return storage is null || storage.GetMonitoringApi().Servers().Any(s => s.Heartbeat is { } beat && now - beat < LiveHeartbeat);
        }
        catch (Exception ex)
        {
            // Storage unreachable: leave the runs to the next check rather than guess.
            log.LogWarning(ex, "Could not read the job servers; interrupted check runs will be marked by the next check.");
            return true;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
