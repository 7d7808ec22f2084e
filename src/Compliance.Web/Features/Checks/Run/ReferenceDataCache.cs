using Compliance.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// The reference data for the decision API: reloaded when it is older than <see cref="MaxAge"/> or after
/// <see cref="Invalidate"/> (called by <see cref="CheckScheduler.RequestSoon"/> whenever approvals, restrictions or
/// models change in this process). Other instances of a scaled-out deployment see a change within MaxAge.
/// </summary>
public sealed class ReferenceDataCache(IDbContextFactory<ComplianceDb> factory, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _current;
    private long _version;

    private sealed record Snapshot(ReferenceData Data, long Version, long LoadedTicks);

    public void Invalidate() => Interlocked.Increment(ref _version);

    public ValueTask<ReferenceData> GetAsync(CancellationToken ct)
    {
        var current = _current;
        return current is not null && IsFresh(current) ? ValueTask.FromResult(current.Data) : new(LoadAsync(ct));
    }

    private bool IsFresh(Snapshot s) =>
        s.Version == Interlocked.Read(ref _version) && clock.GetElapsedTime(s.LoadedTicks) < MaxAge;

    private async Task<ReferenceData> LoadAsync(CancellationToken ct)
    {
        await _loading.WaitAsync(ct);
        try
        {
            if (_current is { } current && IsFresh(current))
            {
                return current.Data;
            }

            var version = Interlocked.Read(ref _version);
            var started = clock.GetTimestamp();
            await using var db = await factory.CreateDbContextAsync(ct);
            var data = await ReferenceData.LoadAsync(db, clock.GetUtcNow().UtcDateTime, ct);
            _current = new Snapshot(data, version, started);
            return data;
        }
        finally
        {
            _loading.Release();
        }
    }
}
