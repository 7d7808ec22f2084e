using Hangfire;
using Compliance.Web.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Compliance.Web.Jobs.Outbound;
using Microsoft.Extensions.Http.Resilience;

namespace Compliance.Web.Features.Approvals;

public static class ApprovalsSetup
{
    /// <summary>
    /// Approvals, restrictions and approval-list sources. Syncs run through <see cref="IApprovalListScheduler"/>:
    /// Hangfire recurring jobs when this process runs jobs, else an in-process queue ("sync now" only).
    /// </summary>
    public static WebApplicationBuilder AddApprovals(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApprovalEvents>();
        services.AddSingleton<IApprovalsChanged>(sp => sp.GetRequiredService<ApprovalEvents>());
        services.AddSingleton<ApprovalService>();
        // Approvals past their end date become Expired (and the next check reports them).
        services.AddRecurringJobs((jobs, _) => jobs.AddOrUpdate<ApprovalService>(
            "approval-expiry", s => s.ExpireDueNowAsync(CancellationToken.None), Cron.Hourly(), RecurringJobs.Utc));
        services.AddSingleton<RestrictionService>();
        services.AddSingleton<BlastRadiusService>();
        services.AddSingleton<ApprovalListSourceService>();
        services.AddTransient<ApprovalListSyncJob>();
        services.AddApprovalListHttpClient();
        if (builder.Configuration.GetValue("Jobs:Enabled", true))
        {
            services.TryAddSingleton<IApprovalListScheduler, HangfireApprovalListScheduler>();
        }
        else
        {
            // No job server in this process (tests, a web-only instance): "sync now" still works in-process.
            services.AddSingleton<InProcessApprovalListScheduler>();
            services.TryAddSingleton<IApprovalListScheduler>(sp => sp.GetRequiredService<InProcessApprovalListScheduler>());
            services.AddHostedService(sp => sp.GetRequiredService<InProcessApprovalListScheduler>());
        }

        return builder;
    }

    /// <summary>
    /// The client that fetches lists: behind the <see cref="OutboundGuard"/>, 30 s in all, retries with back-off for
    /// transient failures (5xx, 408, 429, network).
    /// </summary>
    public static IHttpClientBuilder AddApprovalListHttpClient(this IServiceCollection services, Action<HttpStandardResilienceOptions>? configure = null)
    {
        var client = services.AddHttpClient(ApprovalListSyncJob.HttpClientName, c =>
        {
            c.Timeout = TimeSpan.FromSeconds(45); // outer guard; the resilience pipeline's total timeout (30 s) answers first
            c.DefaultRequestHeaders.UserAgent.ParseAdd("AI-Model-Compliance-ListSync/1");
            c.DefaultRequestHeaders.Accept.ParseAdd("application/json, text/csv;q=0.9, */*;q=0.1");
        });
        // SSRF guard: public addresses only (unless allow-listed), no redirects, https outside Development.
        client.AddOutboundGuard();
        client.AddStandardResilienceHandler(o =>
        {
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
            o.Retry.MaxRetryAttempts = 3;
            o.Retry.Delay = TimeSpan.FromSeconds(1);
            // A refused address or scheme stays refused: no retry.
            o.Retry.ShouldHandle = args => ValueTask.FromResult(!OutboundGuard.IsRefusal(args.Outcome.Exception) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
            configure?.Invoke(o);
        });
        return client;
    }
}
