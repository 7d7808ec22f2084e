using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Approvals;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Approvals;

/// <summary>The approval-list source service with the real sync job and HTTP client, over a test database, with the scheduler a test chooses.</summary>
internal static class SourceServices
{
    public static ServiceProvider Build<TScheduler>(TestDatabase database)
        where TScheduler : class, IApprovalListScheduler
    {
        var services = new ServiceCollection().AddLogging();
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
}
