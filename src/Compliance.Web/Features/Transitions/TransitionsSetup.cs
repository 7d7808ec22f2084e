using Compliance.Web.Jobs;
using Hangfire;

namespace Compliance.Web.Features.Transitions;

public static class TransitionsSetup
{
    /// <summary>Transition plans and the daily announcement of overdue ones.</summary>
    public static WebApplicationBuilder AddTransitions(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TransitionService>();
        builder.Services.AddSingleton<OverduePlans>();
        builder.Services.AddRecurringJobs((jobs, _) =>
            jobs.AddOrUpdate<OverduePlans>(OverduePlans.JobId, o => o.NotifyAsync(CancellationToken.None), Cron.Daily(6), RecurringJobs.Utc));
        return builder;
    }
}
