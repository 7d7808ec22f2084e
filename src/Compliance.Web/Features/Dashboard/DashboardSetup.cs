using Compliance.Web.Jobs;
using Hangfire;

namespace Compliance.Web.Features.Dashboard;

public static class DashboardSetup
{
    /// <summary>The posture snapshot and daily trends shared by every dashboard (one per process), and the nightly posture roll-up.</summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PostureCache>();
        builder.Services.AddSingleton<PostureRollup>();
        builder.Services.AddSingleton<PostureTrends>();
        // Just after midnight UTC: the new day gets its first row even when no check runs that day.
        builder.Services.AddRecurringJobs((jobs, _) =>
            jobs.AddOrUpdate<PostureRollup>(PostureRollup.JobId, r => r.RunDailyAsync(CancellationToken.None), Cron.Daily(0, 5), RecurringJobs.Utc));
        return builder;
    }
}
