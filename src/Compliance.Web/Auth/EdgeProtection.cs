using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;

namespace Compliance.Web.Auth;

/// <summary>Configuration section <c>RateLimits</c> (per client address unless said otherwise).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Password attempts on the embedded provider's login form, per minute.</summary>
    public int LoginPerMinute { get; set; } = 20;

    /// <summary>Token requests to the embedded provider's token endpoint, per minute.</summary>
    public int TokenPerMinute { get; set; } = 60;

    /// <summary>PDF uploads to the anonymous verification page, per minute.</summary>
    public int VerifyUploadsPerMinute { get; set; } = 10;

    /// <summary>PDF uploads being read at once, all clients together (each may be 20 MB).</summary>
    public int VerifyConcurrentUploads { get; set; } = 4;

    /// <summary>
    /// Requests to <c>/api</c> per caller (signed-in subject or client id; the address when anonymous) per minute; 0
    /// turns the limit off. Beyond it: 429 with <c>Retry-After</c>.
    /// </summary>
    public int ApiPerClientPerMinute { get; set; } = 6000;

    /// <summary>Audit drift comparisons (a scan of every audited table) per person per 10 minutes; one at a time in all.</summary>
    public int DriftComparisonsPer10Minutes { get; set; } = 3;
}

/// <summary>
/// What the edge of the app does before any feature sees a request: the client's address and scheme taken from
/// <c>X-Forwarded-For</c>/<c>-Proto</c> only when the connection comes from a proxy named in
/// <c>ForwardedHeaders:KnownProxies</c> (or a network in <c>ForwardedHeaders:KnownNetworks</c>); rate limits on the
/// anonymous and expensive endpoints (429 when exceeded); HSTS for a year with subdomains and preload outside
/// Development.
/// </summary>
public static class EdgeProtection
{
    public const string Login = "login";
    public const string Token = "token";
    public const string VerifyUpload = "verify-upload";

    public static WebApplicationBuilder AddEdgeProtection(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton<AuditDriftLimiter>();
        builder.Services.AddSingleton<ApiRateLimit>();

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
            o.Preload = true;
        });

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                // A plain 429 answer: not re-executed as the status page (a POST re-executed would fail antiforgery as 400).
                if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                {
                    pages.Enabled = false;
                }

                context.HttpContext.Response.Headers.RetryAfter = "60";
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many requests: try again in a minute.", ct);
            };
            o.AddPolicy(Login, context => PerClientPerMinute(context, limits.LoginPerMinute, postsOnly: true));
            o.AddPolicy(Token, context => PerClientPerMinute(context, limits.TokenPerMinute, postsOnly: false));
            o.AddPolicy(VerifyUpload, context => PerClientPerMinute(context, limits.VerifyUploadsPerMinute, postsOnly: true));
            // Uploads being read at once, whoever sends them: the endpoint's own policy cannot span clients.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/verify")
                    ? RateLimitPartition.GetConcurrencyLimiter("verify-uploads", _ => new ConcurrencyLimiterOptions { PermitLimit = limits.VerifyConcurrentUploads, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(""));
        });
        return builder;
    }

    /// <summary>
    /// First in the pipeline: the client's real address and scheme, from trusted proxies only. With no proxy
    /// configured the middleware is left out: with empty lists it would trust every sender.
    /// </summary>
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        return options.KnownProxies.Count > 0 || options.KnownIPNetworks.Count > 0 ? app.UseForwardedHeaders() : app;
    }

    private static RateLimitPartition<string> PerClientPerMinute(HttpContext context, int permits, bool postsOnly) =>
        postsOnly && !HttpMethods.IsPost(context.Request.Method)
            ? RateLimitPartition.GetNoLimiter("")
            : RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}

/// <summary>
/// The audit drift comparison reads every audited table: a few per person per 10 minutes, one at a time in all. Its
/// button is a circuit event, not an HTTP request, so the page asks this limiter itself.
/// </summary>
public sealed class AuditDriftLimiter(RateLimitOptions limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perPerson = PartitionedRateLimiter.Create<string, string>(person =>
        RateLimitPartition.GetFixedWindowLimiter(person, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.DriftComparisonsPer10Minutes, Window = TimeSpan.FromMinutes(10), QueueLimit = 0,
        }));

    private readonly ConcurrencyLimiter _oneAtATime = new(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 });

    /// <summary>A lease to run one comparison, or null (say "try again later"). Dispose the lease when done.</summary>
    public IDisposable? TryAcquire(string person)
    {
        var running = _oneAtATime.AttemptAcquire();
        if (!running.IsAcquired)
        {
            running.Dispose();
            return null;
        }

        using var allowed = _perPerson.AttemptAcquire(person);
        if (!allowed.IsAcquired)
        {
            running.Dispose();
            return null;
        }

        return running;
    }

    public void Dispose()
    {
        _perPerson.Dispose();
        _oneAtATime.Dispose();
    }
}
