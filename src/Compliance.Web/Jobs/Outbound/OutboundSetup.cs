using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Compliance.Web.Jobs.Outbound;

public static class OutboundSetup
{
    /// <summary>Binds <c>Outbound</c>; plain http is allowed only in Development (and only if configured so elsewhere).</summary>
    public static WebApplicationBuilder AddOutboundRequests(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.Configure<OutboundOptions>(o => o.RequireHttps = !development);
        builder.Services.Configure<OutboundOptions>(builder.Configuration.GetSection("Outbound"));
        if (!development)
        {
            builder.Services.PostConfigure<OutboundOptions>(o => o.RequireHttps = true);
        }

        return builder;
    }

    /// <summary>Puts a named or typed client behind the <see cref="OutboundGuard"/>: checked addresses, no redirects, https.</summary>
    public static IHttpClientBuilder AddOutboundGuard(this IHttpClientBuilder client)
    {
        client.Services.AddOptions<OutboundOptions>();
        client.Services.TryAddSingleton<OutboundGuard>();
        client.Services.TryAddTransient<OutboundSchemeHandler>();
        client.ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().CreateHandler());
        client.AddHttpMessageHandler<OutboundSchemeHandler>();
        return client;
    }
}
