using Microsoft.Extensions.Options;
using Hangfire;
using Compliance.Web.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Web.Features.Checks;

public static class ChecksSetup
{
    /// <summary>The check run, its job and trigger, and the decision service (section <c>Checks</c>).</summary>
    public static WebApplicationBuilder AddComplianceChecks(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<CheckOptions>(builder.Configuration.GetSection("Checks"));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CheckRunner>();
        builder.Services.AddRecurringJobs((jobs, services) =>
        {
            jobs.AddOrUpdate<CheckJob>(CheckJob.RecurringId, j => j.RunScheduledAsync(CancellationToken.None),
                services.GetRequiredService<IOptions<CheckOptions>>().Value.Schedule, RecurringJobs.Utc);
            // A first check right after start, so findings exist within seconds of a fresh install.
            services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => services.GetRequiredService<CheckScheduler>().RequestSoon());
        });
        builder.Services.AddTransient<CheckJob>();
        builder.Services.AddSingleton<ReferenceDataCache>();
        builder.Services.AddSingleton<DecisionService>();
        builder.Services.AddSingleton<CheckScheduler>();
        builder.Services.AddHostedService<CheckOnInventoryChange>();
        // Registered before the job server (AddComplianceJobs), so it runs before this process starts any check.
        builder.Services.AddHostedService<InterruptedRuns>();
        return builder;
    }
}
