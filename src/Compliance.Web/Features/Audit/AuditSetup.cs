using Hangfire;
using Compliance.Web.Jobs;
using System.Text.Json;
using Compliance.Web.Auth;
using Compliance.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Audit;

public static class AuditSetup
{
    /// <summary>The anchor log (file under the data folder, optional webhook), the verifier and its health entry.</summary>
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<AuditOptions>(builder.Configuration.GetSection(AuditOptions.Section));
        builder.Services.AddHttpClient(AuditAnchorLog.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuditOptions>>().Value;
            var database = sp.GetRequiredService<DatabaseOptions>();
            var dataFolder = database.Provider == DatabaseProvider.Sqlite
                ? SqliteFile.DataFolder(database.ConnectionString)
                : Path.Combine(builder.Environment.ContentRootPath, "App_Data");
            Uri? webhook = Uri.TryCreate(options.AnchorWebhook, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null;
            return new AuditAnchorLog(Path.GetFullPath(options.AnchorFile, dataFolder), webhook,
                sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<ILogger<AuditAnchorLog>>());
        });
        builder.Services.AddSingleton<AuditVerifier>();
        // The whole audit trail verified (chain, anchors, data) and its head anchored outside the database.
        builder.Services.AddRecurringJobs((jobs, services) => jobs.AddOrUpdate<AuditVerifier>(
            AuditVerifier.RecurringId, v => v.RunScheduledAsync(CancellationToken.None),
            services.GetRequiredService<IOptions<AuditOptions>>().Value.VerificationSchedule, RecurringJobs.Utc));
        builder.Services.AddHealthChecks().AddCheck<AuditTrailHealthCheck>("audit-trail");
        return builder;
    }

    /// <summary>
    /// <c>/health</c> answers anonymous callers (load balancers) with the plain status word, as always; a signed-in
    /// member of staff also gets each entry's details — the last audit verification among them.
    /// </summary>
    public static HealthCheckOptions HealthOptions() => new() { ResponseWriter = WriteHealthAsync };

    private static async Task WriteHealthAsync(HttpContext http, HealthReport report)
    {
        var staff = http.User.Identity?.IsAuthenticated == true
            && (await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, Policies.Staff)).Succeeded;
        if (!staff)
        {
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync(report.Status.ToString());
            return;
        }

        http.Response.Headers.CacheControl = "private, no-store";
        await http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            entries = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }
}

/// <summary>
/// Reports the last audit verification. Healthy whatever it found: the app and its database answer, which is what
/// <c>/health</c> promises a load balancer; the verdict is in the details staff see (and on <c>/audit</c>).
/// </summary>
public sealed class AuditTrailHealthCheck(AuditVerifier verifier) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (last, running) = await verifier.LatestAsync(cancellationToken);
        var data = new Dictionary<string, object>();
        if (last is not null)
        {
            data["lastVerifiedAt"] = last.FinishedAt ?? last.StartedAt;
            data["result"] = last.Status.ToString();
            data["eventsChecked"] = last.EventsChecked;
            data["headEventId"] = last.HeadEventId;
            data["headHash"] = last.HeadHash ?? "";
            data["anchorBreaks"] = last.AnchorBreaks;
            data["driftRows"] = last.DriftRows;
        }

        if (running is not null)
        {
            data["running"] = running.Progress ?? "Starting";
        }

        return HealthCheckResult.Healthy(last is null ? "The audit trail has not been verified yet." : $"Last verified {last.FinishedAt:yyyy-MM-dd HH:mm} UTC: {last.Status}.", data);
    }
}
