using System.Collections.Concurrent;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Dashboard;

/// <summary>
/// The daily trends the dashboards chart, one per (customer, range), drawn once and shared by every circuit that shows
/// it: a circuit holds a reference, never its own 365 rows. Dropped after each local roll-up and after
/// <see cref="MaxAge"/> (a roll-up on another instance).
/// </summary>
public sealed class PostureTrends : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>Beyond this many cached trends (customers × ranges looked at) the cache starts over.</summary>
    private const int MaxEntries = 512;

    private readonly IDbContextFactory<ComplianceDb> _factory;
    private readonly TimeProvider _clock;
    private readonly PostureRollup? _rollup;
    private readonly ConcurrentDictionary<(int Customer, int Days), (PostureTrend Trend, DateTime TakenAt)> _trends = new();

    public PostureTrends(IDbContextFactory<ComplianceDb> factory, TimeProvider clock, PostureRollup? rollup = null)
    {
        _factory = factory;
        _clock = clock;
        _rollup = rollup;
        if (_rollup is not null)
        {
            _rollup.Written += Invalidate;
        }
    }

    /// <summary>
    /// The trend of <paramref name="customerId"/> (staff: any customer, or the whole inventory when null; a customer: its own
    /// only) over the last <paramref name="days"/> days, today included.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">A customer's scope asked for another organisation, or the scope sees nothing.</exception>
    public async Task<PostureTrend> ForAsync(CustomerScope scope, int? customerId, int days, CancellationToken ct = default)
    {
        var id = CustomerOf(scope, customerId) ?? throw new UnauthorizedAccessException("A customer sees its own organisation's posture only.");
        if (!PostureTrend.Ranges.Contains(days))
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, $"The dashboards chart {string.Join(", ", PostureTrend.Ranges)} days.");
        }

        var now = _clock.GetUtcNow().UtcDateTime;
        if (_trends.TryGetValue((id, days), out var cached) && now - cached.TakenAt < MaxAge)
        {
            return cached.Trend;
        }

        await using var db = await _factory.CreateDbContextAsync(ct);
        var trend = PostureTrend.Of(id, days, await LoadAsync(db, id, days, now.Date, ct));
        if (_trends.Count >= MaxEntries)
        {
            _trends.Clear();
        }

        _trends[(id, days)] = (trend, now);
        return trend;
    }

    /// <summary>Which customer's rows a scope may read: staff any (null means the whole inventory), a customer its own; null when none.</summary>
    public static int? CustomerOf(CustomerScope scope, int? customerId) =>
        scope.IsUnrestricted ? customerId ?? PostureDay.AllCustomers
        : scope.CustomerId is { } own && (customerId is null || customerId == own) ? own
        : null;

    /// <summary>The rows of the last <paramref name="days"/> days up to <paramref name="today"/>, oldest first.</summary>
    public static Task<List<PostureDay>> LoadAsync(ComplianceDb db, int customerId, int days, DateTime today, CancellationToken ct = default) =>
        db.PostureDays.AsNoTracking()
            .Where(d => d.CustomerId == customerId && d.Day > today.AddDays(-days) && d.Day <= today)
            .OrderBy(d => d.Day)
            .ToListAsync(ct);

    public void Invalidate() => _trends.Clear();

    public void Dispose()
    {
        if (_rollup is not null)
        {
            _rollup.Written -= Invalidate;
        }
    }
}
