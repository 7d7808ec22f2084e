using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Auth;

/// <summary>Configuration section <c>Sessions</c>.</summary>
public sealed class SessionOptions
{
    /// <summary><c>Sessions:AbsoluteLifetime</c>: a session ends this long after sign-in, however active (ASVS 3.3.2).</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary><c>Sessions:IdleTimeout</c>: a session ends after this long without a request (the cookie's sliding expiry).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary><c>Sessions:RevalidationInterval</c>: how often a live Blazor circuit re-checks its session.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Server-side session state. Every cookie session carries a random id and its absolute end (claims added at
/// sign-in); signing out records the id as ended until that end. A cookie (replayed, or still held by another tab)
/// whose id has ended, whose absolute end has passed, or which has no id at all, is refused on every request, and
/// live circuits find out at their next revalidation. The record lives in the database (<see cref="EndedSessions"/>),
/// so a session ended on one instance is refused by every other at its next request, with or without sticky sessions.
/// </summary>
public sealed class SessionStore(EndedSessions ended, TimeProvider clock)
{
    public const string IdClaim = "session_id";

    public const string ExpiresClaim = "session_expires";

    /// <summary>Stamps a new session on the principal being signed in.</summary>
    public static void Begin(ClaimsPrincipal? principal, DateTimeOffset now, TimeSpan absoluteLifetime)
    {
        if (principal?.Identity is not ClaimsIdentity identity)
        {
            return;
        }

        foreach (var claim in identity.FindAll(c => c.Type is IdClaim or ExpiresClaim).ToList())
        {
            identity.RemoveClaim(claim);
        }

        identity.AddClaim(new Claim(IdClaim, Guid.NewGuid().ToString("N")));
        identity.AddClaim(new Claim(ExpiresClaim, now.Add(absoluteLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>True while the principal's session has an id, has not reached its absolute end and was not signed out.</summary>
    public async Task<bool> IsActiveAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        if (principal.FindFirst(IdClaim)?.Value is not { Length: > 0 } id || Expires(principal) is not { } expires || expires <= clock.GetUtcNow())
        {
            return false;
        }

        return !await ended.ContainsAsync(id, ct);
    }

    /// <summary>Ends the principal's session everywhere (until its absolute end, after which it is dead anyway).</summary>
    public async Task EndAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        if (principal.FindFirst(IdClaim)?.Value is not { Length: > 0 } id)
        {
            return;
        }

        var until = Expires(principal) is { } e && e > clock.GetUtcNow() ? e : clock.GetUtcNow().AddMinutes(1);
        await ended.AddAsync(id, until, ct);
    }

    private static DateTimeOffset? Expires(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirst(ExpiresClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Cookie events: stamp the session at sign-in, refuse an ended one on every request.</summary>
    public static void Configure(CookieAuthenticationEvents events, SessionOptions options)
    {
        events.OnSigningIn = context =>
        {
            Begin(context.Principal, context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), options.AbsoluteLifetime);
            return Task.CompletedTask;
        };
        events.OnValidatePrincipal = async context =>
        {
            var store = context.HttpContext.RequestServices.GetRequiredService<SessionStore>();
            if (context.Principal is null || !await store.IsActiveAsync(context.Principal, context.HttpContext.RequestAborted))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            }
        };
    }
}

/// <summary>A Blazor circuit re-checks its user's session every <see cref="SessionOptions.RevalidationInterval"/>; an ended session signs the circuit out.</summary>
public sealed class SessionRevalidatingAuthenticationStateProvider(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<SessionOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SessionStore>().IsActiveAsync(user, cancellationToken);
    }
}
