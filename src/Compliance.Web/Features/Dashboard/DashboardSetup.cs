namespace Compliance.Web.Features.Dashboard;

public static class DashboardSetup
{
    /// <summary>The posture snapshot shared by every staff dashboard (one per process).</summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PostureCache>();
        return builder;
    }
}
