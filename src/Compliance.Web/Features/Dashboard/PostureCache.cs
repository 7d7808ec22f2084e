using Compliance.Data;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Web.Features.Dashboard;

/// <summary>
/// One posture snapshot for every open staff dashboard: the queries run once per <see cref="MaxAge"/> (or after each
/// check run) instead of once per circuit, and the circuits reference the same immutable object and chart markup
/// instead of each holding copies (DESIGN.md: 1,000 dashboard circuits at ≤ 500 KB each).
/// </summary>
/// <remarks>
/// The posture counts every organisation's bindings, so it is for unrestricted (staff) scopes only; a customer's
/// scope is refused here as well as by the home page, which shows customers their own organisation instead.
/// Changes that do not go through a check (waivers, transition plans, approvals reaching their end) show within
/// <see cref="MaxAge"/>.
/// </remarks>
public sealed class PostureCache : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly IDbContextFactory<ComplianceDb> _factory;
    private readonly TimeProvider _clock;
    private readonly CheckRunner? _runner;
    private readonly Lock _gate = new();
    private (PostureSnapshot Snapshot, DateTime TakenAt)? _current;
    private Task<PostureSnapshot>? _loading;
    private int _generation;
    private int _loadingGeneration = -1;

    public PostureCache(IDbContextFactory<ComplianceDb> factory, TimeProvider clock, CheckRunner? runner = null)
    {
        _factory = factory;
        _clock = clock;
        _runner = runner;
        if (_runner is not null)
        {
            _runner.FindingsWritten += Invalidate;
        }
    }

    /// <summary>The current snapshot for <paramref name="scope"/>; loads it when there is none or it is older than <see cref="MaxAge"/>.</summary>
    /// <exception cref="UnauthorizedAccessException">The scope is a customer's (or nobody's): the posture is every organisation's.</exception>
    public Task<PostureSnapshot> ForAsync(CustomerScope scope, CancellationToken ct = default)
    {
        if (!scope.IsUnrestricted)
        {
            throw new UnauthorizedAccessException("The compliance posture counts every organisation's bindings: staff only.");
        }

        var current = _current;
        if (current is { } c && _clock.GetUtcNow().UtcDateTime - c.TakenAt < MaxAge)
        {
            return Task.FromResult(c.Snapshot);
        }

        return LoadOnce().WaitAsync(ct);
    }

    /// <summary>Drops the snapshot: the next dashboard to ask loads a new one (after a check run, or when a dashboard sees a newer run).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _generation++;
            _current = null;
        }
    }

    /// <summary>One load at a time, shared by every dashboard that asks meanwhile; cancelled by none of them.</summary>
    private Task<PostureSnapshot> LoadOnce()
    {
        lock (_gate)
        {
            if (_loading is { IsCompleted: false } inFlight && _loadingGeneration == _generation)
            {
                return inFlight;
            }

            _loadingGeneration = _generation;
            return _loading = LoadAsync(_generation);
        }
    }

    private async Task<PostureSnapshot> LoadAsync(int generation)
    {
        await Task.Yield(); // leave the lock and the caller's context
        var at = _clock.GetUtcNow().UtcDateTime;
        await using var db = await _factory.CreateDbContextAsync();
        var snapshot = PostureSnapshot.Of(await PostureQueries.LoadAsync(db, at));
        lock (_gate)
        {
            // A check that finished while this load ran invalidated it: hand it to its callers but don't keep it.
            if (generation == _generation)
            {
                _current = (snapshot, at);
            }
        }

        return snapshot;
    }

    public void Dispose()
    {
        if (_runner is not null)
        {
            _runner.FindingsWritten -= Invalidate;
        }
    }
}
