using System.Globalization;
using System.Threading.RateLimiting;

namespace Compliance.Web.Auth;

/// <summary>
/// Each API caller its own budget (<see cref="RateLimitOptions.ApiPerClientPerMinute"/>), so one runaway script
/// cannot starve the others: keyed by the signed-in subject or client id, hence after authentication (the
/// rate-limiter middleware runs before it, for the embedded provider's token endpoint). Beyond the budget: 429 Problem
/// Details with <c>Retry-After</c>.
/// </summary>
public sealed class ApiRateLimit(RateLimitOptions limits) : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _perCaller = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        RateLimitPartition.GetFixedWindowLimiter(Caller(context),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.ApiPerClientPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    private static string Caller(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? "caller:" + context.User.ActorName() : "address:" + context.Connection.RemoteIpAddress;

    public async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        if (limits.ApiPerClientPerMinute <= 0 || !http.Request.Path.StartsWithSegments("/api"))
        {
            await next();
            return;
        }

        using var lease = _perCaller.AttemptAcquire(http);
        if (lease.IsAcquired)
        {
            await next();
            return;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 60;
        http.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"This client sent more than its {limits.ApiPerClientPerMinute} API requests a minute; retry after {wait} s (Retry-After).")
            .ExecuteAsync(http);
    }

    public void Dispose() => _perCaller.Dispose();
}

public static class ApiRateLimitExtensions
{
    public static IApplicationBuilder UseApiRateLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<ApiRateLimit>();
        return app.Use((http, next) => limit.InvokeAsync(http, () => next(http)));
    }
}
