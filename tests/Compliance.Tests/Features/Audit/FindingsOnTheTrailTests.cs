using Compliance.Data.Audit;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Features.Findings;

namespace Compliance.Tests.Features.Audit;

/// <summary>Check runs write findings outside EF Core; their changes still reach the trail, and the trail still catches tampering.</summary>
public abstract class FindingsOnTheTrailTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : FindingsOnTheTrailTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : FindingsOnTheTrailTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private CheckRunner _runner = null!;
    private WaiverService _waivers = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _runner = new CheckRunner(_database.Factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance);
        _waivers = new WaiverService(_database.Factory, _clock);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    /// <summary>Three runs with changes between them: a waiver granted, approvals revoked, a binding added, a model re-checked, a waiver lapsed.</summary>
    private async Task RunThreeChecksWithChangesBetweenAsync()
    {
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);

        long waived;
        await using (var db = _database.Create())
        {
            waived = await db.Findings.Where(f => f.Status == FindingStatus.Open).OrderBy(f => f.Id).Select(f => f.Id).FirstAsync();
        }

        await _waivers.GrantAsync(People.Officer, waived, "Move scheduled.", _clock.UtcNow.AddDays(2), CancellationToken.None);
        int modelId;
        await using (var db = _database.Create("officer"))
        {
            var approval = await db.Approvals.Where(a => a.Status == ApprovalStatus.Approved).OrderBy(a => a.Id).FirstAsync();
            approval.Status = ApprovalStatus.Revoked;
            modelId = approval.ModelId;
            var binding = await db.Bindings.OrderBy(b => b.Id).FirstAsync();
            db.Bindings.Add(new Binding { ModelId = modelId, WorkloadId = binding.WorkloadId, Usage = Usage.Agent, Purpose = "Added between runs", From = _clock.UtcNow.AddDays(-1) });
            await db.SaveChangesAsync();
        }

        await _runner.RunForModelAsync(modelId, CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(1));
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);

        await using (var db = _database.Create("officer"))
        {
            var approval = await db.Approvals.Where(a => a.Status == ApprovalStatus.Approved).OrderByDescending(a => a.Id).FirstAsync();
            approval.Status = ApprovalStatus.Revoked;
            await db.SaveChangesAsync();
        }

        _clock.Advance(TimeSpan.FromDays(3)); // the waiver lapses: the run re-opens its finding
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
    }

    [Fact]
    public async Task Three_check_runs_with_changes_between_leave_no_drift_on_an_untouched_database()
    {
        await RunThreeChecksWithChangesBetweenAsync();

        await using var db = _database.Create();
        Assert.Empty(await AuditTrail.FindDriftAsync(db));
        Assert.Null(await AuditTrail.VerifyAsync(db));
        Assert.True(await db.Findings.CountAsync(f => f.Status == FindingStatus.Resolved) > 0, "the runs resolved some findings");
        Assert.True(await db.Findings.CountAsync(f => f.Status == FindingStatus.Open) > 0);
    }

    [Fact]
    public async Task Each_check_run_records_its_finding_changes_as_one_event_whose_digest_verification_recomputes()
    {
        await RunThreeChecksWithChangesBetweenAsync();

        await using var db = _database.Create();
        var events = await db.AuditEvents.Where(e => e.Entity == FindingChanges.Entity).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["run 1", "model", "run 2", "run 3"], events.Select(e => e.EntityKey.StartsWith("model ", StringComparison.Ordinal) ? "model" : e.EntityKey));
        Assert.All(events, e => Assert.Equal(CheckRunner.Actor, e.User));
        var (first, count, digest) = FindingChanges.Decode(events[0].After!);
        Assert.True(count > 0);
        Assert.Equal(count, first.Rows.Count);
        Assert.All(first.Rows, f => Assert.Equal(first.SeenAt, f.FirstSeen)); // the first run opened every finding it holds
        Assert.Equal(first.Digest(), digest);
        Assert.Null(first.Seen);
        Assert.Equal(1, first.CheckRunId);
    }

    [Fact]
    public async Task A_check_run_that_changes_nothing_records_only_its_stamp()
    {
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);

        await using var db = _database.Create();
        var second = await db.AuditEvents.Where(e => e.Entity == FindingChanges.Entity).OrderBy(e => e.Id).Skip(1).SingleAsync();
        var (changes, count, _) = FindingChanges.Decode(second.After!);
        Assert.Equal(0, count);
        Assert.Empty(changes.Rows);
        Assert.Empty(await AuditTrail.FindDriftAsync(db));
    }

    [Fact]
    public async Task Finding_rows_edited_inserted_or_deleted_by_sql_after_the_runs_are_each_reported()
    {
        await RunThreeChecksWithChangesBetweenAsync();
        long edited, deleted;
        await using (var db = _database.Create())
        {
            var ids = await db.Findings.Where(f => f.Status == FindingStatus.Open && !db.Waivers.Any(w => w.FindingId == f.Id))
                .OrderBy(f => f.Id).Select(f => f.Id).Take(2).ToListAsync();
            (edited, deleted) = (ids[0], ids[1]);
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"Findings\" SET \"Status\" = 2 WHERE \"Id\" = {edited}");
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM \"Findings\" WHERE \"Id\" = {deleted}");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"Findings\" (\"BindingId\", \"Rule\", \"Severity\", \"Status\", \"FirstSeen\", \"LastSeen\", \"Detail\") SELECT MAX(\"Id\"), 99, 0, 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'forged' FROM \"Bindings\"");
        }

        await using var read = _database.Create();
        var inserted = await read.Findings.MaxAsync(f => f.Id);
        var drift = await AuditTrail.FindDriftAsync(read);
        Assert.Equal(3, drift.Count);
        Assert.All(drift, d => Assert.Equal(nameof(Finding), d.Entity));
        Assert.Contains("Status", drift.Single(d => d.Key == edited.ToString()).Why);
        Assert.Contains("deleted", drift.Single(d => d.Key == deleted.ToString()).Why);
        Assert.Contains("no audit event", drift.Single(d => d.Key == inserted.ToString()).Why);
    }

    [Fact]
    public async Task Restrictions_bindings_and_findings_deleted_behind_the_apps_back_are_each_reported()
    {
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        int restriction, binding;
        long finding;
        await using (var db = _database.Create())
        {
            restriction = await db.Restrictions.Select(r => r.Id).FirstAsync();
            binding = await db.Bindings.Where(b => !db.Findings.Any(f => f.BindingId == b.Id)).Select(b => b.Id).FirstAsync();
            finding = await db.Findings.Select(f => f.Id).FirstAsync();
        }

        // Plain SQL on a connection of its own, foreign keys off: what someone with the database (file) can do.
        await _database.ExecuteWithoutForeignKeysAsync(
            $"DELETE FROM \"Restrictions\" WHERE \"Id\" = {restriction}; DELETE FROM \"Bindings\" WHERE \"Id\" = {binding}; DELETE FROM \"Findings\" WHERE \"Id\" = {finding};");

        await using var read = _database.Create();
        var drift = await AuditTrail.FindDriftAsync(read);
        Assert.Contains(drift, d => d.Entity == nameof(Restriction) && d.Key == restriction.ToString() && d.Why.Contains("deleted"));
        Assert.Contains(drift, d => d.Entity == nameof(Binding) && d.Key == binding.ToString() && d.Why.Contains("deleted"));
        Assert.Contains(drift, d => d.Entity == nameof(Finding) && d.Key == finding.ToString() && d.Why.Contains("deleted"));
        Assert.Equal(3, drift.Count);
    }

    [Fact]
    public async Task A_binding_deleted_through_the_app_takes_its_findings_with_it_without_drift()
    {
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        await using (var db = _database.Create("officer"))
        {
            var binding = await db.Bindings.Where(b => db.Findings.Any(f => f.BindingId == b.Id) && !db.TransitionPlans.Any(p => p.BindingId == b.Id)).FirstAsync();
            db.Bindings.Remove(binding);
            await db.SaveChangesAsync(); // the database cascades the findings
        }

        await using var read = _database.Create();
        Assert.Empty(await AuditTrail.FindDriftAsync(read));
    }

    [Fact]
    public async Task A_binding_copy_edited_behind_the_apps_back_is_re_derived_and_reported()
    {
        int binding;
        await using (var db = _database.Create())
        {
            binding = await db.Bindings.Select(b => b.Id).FirstAsync();
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"Bindings\" SET \"CustomerName\" = 'Someone else' WHERE \"Id\" = {binding}");
        }

        await using var read = _database.Create();
        var row = Assert.Single(await AuditTrail.FindDriftAsync(read));
        Assert.Equal((nameof(Binding), binding.ToString()), (row.Entity, row.Key));
        Assert.Contains("copies", row.Why);
    }

    [Fact]
    public async Task A_finding_changes_event_rewritten_with_a_fresh_hash_fails_its_digest()
    {
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        await using var db = _database.Create();
        var ev = await db.AuditEvents.AsNoTracking().Where(e => e.Entity == FindingChanges.Entity).SingleAsync();
        // Someone drops one finding from the event and recomputes its hash and every later hash (the whole tail).
        var (changes, _, digest) = FindingChanges.Decode(ev.After!);
        var forged = new FindingChanges { SeenAt = changes.SeenAt, CheckRunId = changes.CheckRunId, Rows = [.. changes.Rows.Skip(1)] }.Encode()
            .Replace(new FindingChanges { SeenAt = changes.SeenAt, CheckRunId = changes.CheckRunId, Rows = [.. changes.Rows.Skip(1)] }.Digest(), digest);
        var tail = await db.AuditEvents.Where(e => e.Id >= ev.Id).OrderBy(e => e.Id).ToListAsync();
        var previous = ev.PreviousHash;
        foreach (var e in tail)
        {
            if (e.Id == ev.Id)
            {
                e.After = forged;
            }

            e.PreviousHash = previous;
            e.Hash = AuditTrail.HashOf(e);
            previous = e.Hash;
        }

        await db.SaveChangesAsync(); // audit events are not audited themselves

        var broken = await AuditTrail.VerifyAsync(db);
        Assert.NotNull(broken);
        Assert.Equal(ev.Id, broken.EventId);
        Assert.Contains("digest", broken.Why);
    }
}
