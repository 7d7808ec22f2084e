using Compliance.Web.Api;
using Compliance.Web.Auth;
using Compliance.Web.Components;
using MudBlazor.Services;

namespace Compliance.Web;

public static class UiSetup
{
    public static WebApplicationBuilder AddComplianceLogging(this WebApplicationBuilder builder)
    {
        // One JSON object per line outside Development, so log collectors can index fields.
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders().AddJsonConsole(o => o.IncludeScopes = true);
        }

        return builder;
    }

    public static WebApplicationBuilder AddComplianceUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    public static WebApplication UseComplianceUi(this WebApplication app)
    {
        app.UseTrustedForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        // Requests the framework cannot read, and bare API errors, answered as Problem Details (Api/RequestProblems.cs).
        app.UseRequestProblems();

        // People get the not-found page; API callers keep their status code and Problem Details body.
        app.UseWhen(http => !http.Request.Path.StartsWithSegments(ApiSetup.Prefix),
            branch => branch.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true));

        // Routing after the status-code pages, so a re-executed request finds the status page's endpoint.
        app.UseRouting();
        app.UseComplianceAuth();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapComplianceEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", Features.Audit.AuditSetup.HealthOptions()).AllowAnonymous();
        app.MapStaticAssets().AllowAnonymous();
        // Auth/SecurityHeaders sends the one Content-Security-Policy (frame-ancestors 'none' included).
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
