using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Approvals;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Approvals;

/// <summary>The approval-list source service with the real sync job and HTTP client, over a test database, with the scheduler a test chooses.</summary>
internal static class SourceServices
{
    public static ServiceProvider Build<TScheduler>(TestDatabase database)
        where TScheduler : class, IApprovalListScheduler
    {
        var services = new ServiceCollection().AddLogging();
        AllowLoopbackLists(services);
        services.AddSingleton(database.Factory);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IApprovalsChanged, ApprovalEvents>();
        services.AddApprovalListHttpClient();
        services.AddTransient<ApprovalListSyncJob>();
        services.AddSingleton<TScheduler>();
        services.AddSingleton<IApprovalListScheduler>(sp => sp.GetRequiredService<TScheduler>());
        services.AddSingleton<ApprovalListSourceService>();
        return services.BuildServiceProvider();
    }

    /// <summary>The test list servers run on loopback: allow-listed as an operator would an internal list host (plain http: a test, not Production).</summary>
    public static IServiceCollection AllowLoopbackLists(IServiceCollection services) =>
        services.Configure<Compliance.Web.Jobs.Outbound.OutboundOptions>(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["Outbound:AllowedHosts:0"] = "127.0.0.1", ["Outbound:RequireHttps"] = "false" }).Build().GetSection("Outbound"));
}
