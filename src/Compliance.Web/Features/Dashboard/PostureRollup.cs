using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Transitions;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Dashboard;

/// <summary>
/// Writes today's <see cref="PostureDay"/> rows (one per customer and one for the whole inventory) from the bindings in
/// force, the findings of the last check and the overdue plans, and prunes rows older than
/// <see cref="PostureDay.RetentionDays"/> days. Runs daily as a Hangfire job and after every check run; a second run on
/// the same day replaces that day's rows, so the day keeps the posture of its last roll-up. Aggregates only (a few
/// group-bys); EF Core throughout, so every engine runs the same LINQ.
/// </summary>
public sealed class PostureRollup(IDbContextFactory<ComplianceDb> factory, TimeProvider clock, ILogger<PostureRollup> log)
{
    public const string JobId = "posture-rollup";

    /// <summary>Raised after a roll-up has written its rows, so the charts drawn from them are redrawn.</summary>
    public event Action? Written;

    /// <summary>The nightly job: closes the day just begun with the posture as it stands (checks that day refresh it).</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 10 * 60)]
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunDailyAsync(CancellationToken ct) => RollUpAsync(ct);

    /// <summary>Computes and replaces today's rows; returns them (the whole inventory's first).</summary>
    public async Task<IReadOnlyList<PostureDay>> RollUpAsync(CancellationToken ct = default)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        var day = at.Date;
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await ComputeAsync(db, at, ct);

        // Delete-then-insert in one transaction is the day's upsert on every engine. Two instances rolling up at once: the
        // loser's insert hits the (customer, day) key; it tries once more, now deleting the winner's rows.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await db.PostureDays.Where(d => d.Day == day).ExecuteDeleteAsync(ct);
                db.PostureDays.AddRange(rows);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                break;
            }
            catch (DbUpdateException ex) when (attempt == 1)
            {
                log.LogInformation(ex, "Another roll-up wrote {Day:yyyy-MM-dd} meanwhile; replacing its rows", day);
                db.ChangeTracker.Clear();
            }
        }

        db.ChangeTracker.Clear();
        var pruned = await db.PostureDays.Where(d => d.Day < day.AddDays(-PostureDay.RetentionDays)).ExecuteDeleteAsync(ct);
        log.LogInformation("Posture of {Day:yyyy-MM-dd} rolled up for {Customers} customers; {Pruned} rows older than {Retention} days pruned",
            day, rows.Count - 1, pruned, PostureDay.RetentionDays);
        Written?.Invoke();
        return rows;
    }

    /// <summary>The rows for the day of <paramref name="at"/>, not saved: the whole inventory's first, then each customer's by id.</summary>
    public static async Task<List<PostureDay>> ComputeAsync(ComplianceDb db, DateTime at, CancellationToken ct = default)
    {
        var active = db.Bindings.AsNoTracking().Where(b => b.From <= at && (b.To == null || b.To > at));
        var customers = await db.Customers.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        var bindings = await active.GroupBy(b => b.CustomerId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);

        // Unresolved findings of bindings in force (the check resolves those of ended bindings on its next run).
        var findings =
            from f in db.Findings.AsNoTracking()
            join b in active on f.BindingId equals b.Id
            where f.Status != FindingStatus.Resolved
            select new { b.CustomerId, f.BindingId, f.Status, f.Severity };
        var counts = await findings.GroupBy(f => new { f.CustomerId, f.Status, f.Severity })
            .Select(g => new { g.Key.CustomerId, g.Key.Status, g.Key.Severity, Count = g.Count() })
            .ToListAsync(ct);
        var notCompliant = await findings.Where(f => f.Status == FindingStatus.Open && f.Severity != Severity.Warning)
            .GroupBy(f => f.CustomerId).Select(g => new { g.Key, Count = g.Select(f => f.BindingId).Distinct().Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var withWaivers = await findings
            .Where(f => f.Status == FindingStatus.Waived && f.Severity != Severity.Warning
                && !db.Findings.Any(o => o.BindingId == f.BindingId && o.Status == FindingStatus.Open && o.Severity != Severity.Warning))
            .GroupBy(f => f.CustomerId).Select(g => new { g.Key, Count = g.Select(f => f.BindingId).Distinct().Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var overdue = await OverduePlans.Of(db, at).AsNoTracking().GroupBy(p => p.Binding!.CustomerId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var lastRun = await PostureQueries.LatestCheckAsync(db, ct);

        var day = at.Date;
        int Open(int customer, Severity severity) =>
            counts.Where(c => c.CustomerId == customer && c.Status == FindingStatus.Open && c.Severity == severity).Sum(c => c.Count);

        PostureDay For(int customer)
        {
            var total = bindings.GetValueOrDefault(customer);
            var failing = notCompliant.GetValueOrDefault(customer);
            var waived = withWaivers.GetValueOrDefault(customer);
            return new PostureDay
            {
                Day = day, CustomerId = customer, Bindings = total, NotCompliant = failing, CompliantWithWaivers = waived,
                Compliant = total - failing - waived,
                OpenCritical = Open(customer, Severity.Critical), OpenHigh = Open(customer, Severity.High), OpenMedium = Open(customer, Severity.Medium),
                OpenLow = Open(customer, Severity.Low), OpenWarnings = Open(customer, Severity.Warning),
                WaivedFindings = counts.Where(c => c.CustomerId == customer && c.Status == FindingStatus.Waived).Sum(c => c.Count),
                OverduePlans = overdue.GetValueOrDefault(customer), CheckRunId = lastRun?.Id, ComputedAt = at,
            };
        }

        var perCustomer = customers.Select(For).ToList();
        var all = new PostureDay { Day = day, CustomerId = PostureDay.AllCustomers, CheckRunId = lastRun?.Id, ComputedAt = at };
        foreach (var c in perCustomer)
        {
            all.Bindings += c.Bindings;
            all.Compliant += c.Compliant;
            all.CompliantWithWaivers += c.CompliantWithWaivers;
            all.NotCompliant += c.NotCompliant;
            all.OpenCritical += c.OpenCritical;
            all.OpenHigh += c.OpenHigh;
            all.OpenMedium += c.OpenMedium;
            all.OpenLow += c.OpenLow;
            all.OpenWarnings += c.OpenWarnings;
            all.WaivedFindings += c.WaivedFindings;
            all.OverduePlans += c.OverduePlans;
        }

        return [all, .. perCustomer];
    }
}
