namespace Compliance.Web.Features.Portal;

public static class PortalSetup
{
    /// <summary>The customer portal's queries (posture, bindings), shared by its pages and the customer API.</summary>
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CustomerPostureQuery>();
        builder.Services.AddSingleton<PortalBindingsQuery>();
        return builder;
    }
}
