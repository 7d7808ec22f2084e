using Hangfire;

namespace Compliance.Web.Jobs;

/// <summary>A feature's recurring jobs, registered by the feature itself and scheduled by <see cref="JobsSetup"/> when jobs run here.</summary>
public sealed record RecurringJobs(Action<IRecurringJobManager, IServiceProvider> Register)
{
    public static readonly RecurringJobOptions Utc = new() { TimeZone = TimeZoneInfo.Utc };
}

public static class RecurringJobsRegistration
{
    /// <summary>Adds a feature's recurring jobs: <paramref name="register"/> runs at start-up when <c>Jobs:Enabled</c> is true.</summary>
    public static IServiceCollection AddRecurringJobs(this IServiceCollection services, Action<IRecurringJobManager, IServiceProvider> register) =>
        services.AddSingleton(new RecurringJobs(register));
}
