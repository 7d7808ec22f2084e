using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Compliance.Data.Configurations;
using Compliance.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Compliance.Data.Audit;

/// <summary>Writes and checks the hash-chained audit trail.</summary>
public static class AuditTrail
{
    /// <summary>The previous-hash of the first event.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Audit and download records are the trail itself, not changes to audit.</summary>
    private static bool IsAudited(EntityEntry e) => e.Entity is not AuditEvent and not AttestationDownload and not DataProtectionKey;

    public sealed record PendingChange(EntityEntry Entry, AuditAction Action, string Entity, string? Before);

    internal static void BumpVersions(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries<IVersioned>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version++;
        }
    }

    internal static List<PendingChange> Capture(ChangeTracker tracker) =>
        [.. tracker.Entries()
            .Where(e => IsAudited(e) && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => new PendingChange(
                e,
                e.State switch { EntityState.Added => AuditAction.Insert, EntityState.Modified => AuditAction.Update, _ => AuditAction.Delete },
                e.Metadata.ClrType.Name,
                e.State == EntityState.Added ? null : Snapshot(e, original: true)))];

    internal static async Task AppendAsync(ComplianceDb db, List<PendingChange> pending, string actor, string? reason, bool sync, CancellationToken ct)
    {
        await LockChainAsync(db, sync, ct);
        var previous = sync
            ? db.AuditEvents.OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefault()
            : await db.AuditEvents.OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync(ct);
        previous ??= Genesis;
        // The display name at the time, beside the subject: a later rename does not rewrite history.
        var actorName = sync
            ? db.People.Where(p => p.Subject == actor).Select(p => p.DisplayName).FirstOrDefault()
            : await db.People.Where(p => p.Subject == actor).Select(p => p.DisplayName).FirstOrDefaultAsync(ct);
        var at = DateTime.UtcNow;
        foreach (var change in pending)
        {
            var ev = new AuditEvent
            {
                At = at,
                User = actor,
                UserName = actorName,
                Action = change.Action,
                Entity = change.Entity,
                EntityKey = KeyOf(change.Entry),
                Before = change.Before,
                After = change.Action == AuditAction.Delete ? null : Snapshot(change.Entry, original: false),
                Reason = reason,
                PreviousHash = previous,
                Hash = "",
            };
            ev.Hash = HashOf(ev);
            previous = ev.Hash;
            db.AuditEvents.Add(ev);
        }
    }

    /// <summary>Serialises appends: on SQL Server an application lock; SQLite's write transaction already excludes other writers.</summary>
    private static async Task LockChainAsync(ComplianceDb db, bool sync, CancellationToken ct)
    {
        if (db.Database.ProviderName?.EndsWith("SqlServer", StringComparison.Ordinal) != true)
        {
            return;
        }

        const string sql = "EXEC sp_getapplock @Resource = 'audit-chain', @LockMode = 'Exclusive', @LockOwner = 'Transaction'";
        if (sync)
        {
            db.Database.ExecuteSqlRaw(sql);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }

    public static string HashOf(AuditEvent e)
    {
        var text = string.Join('\u001f',
            e.PreviousHash, e.At.ToString("O"), e.User, e.Action, e.Entity, e.EntityKey, e.Before, e.After, e.Reason);
        // Events from before display names were recorded hash as they always did.
        if (e.UserName is not null)
        {
            text += '\u001f' + e.UserName;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string KeyOf(EntityEntry entry) =>
        string.Join(",", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue));

    private static string Snapshot(EntityEntry entry, bool original)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in entry.Properties.Where(p => !p.Metadata.IsDatabaseCopy()))
        {
            var value = original ? p.OriginalValue : p.CurrentValue;
            // Large documents are recorded by their hash, not copied into the trail.
            values[p.Metadata.Name] = value switch
            {
                byte[] bytes => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)),
                DateTime d => d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc),
                _ => value,
            };
        }

        return JsonSerializer.Serialize(values, Json);
    }

    /// <summary>
    /// Compares every audited row with the state its last audit event recorded and lists the rows that
    /// differ or have no event: changes made behind the app's back. Reads whole tables; an auditor's action.
    /// </summary>
    public static async Task<List<AuditDrift>> FindDriftAsync(ComplianceDb db, CancellationToken ct = default)
    {
        var last = new Dictionary<(string Entity, string Key), string?>();
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(a => a.Id)
            .Select(a => new { a.Entity, a.EntityKey, a.After }).AsAsyncEnumerable().WithCancellation(ct))
        {
            last[(e.Entity, e.EntityKey)] = e.After;
        }

        var drift = new List<AuditDrift>();
        foreach (var type in db.Model.GetEntityTypes().Where(t => !t.IsOwned() && t.ClrType != typeof(AuditEvent)
                     && t.ClrType != typeof(AttestationDownload) && t.ClrType != typeof(DataProtectionKey)))
        {
            var set = (IQueryable<object>)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!
                .MakeGenericMethod(type.ClrType).Invoke(db, null)!;
            // Streamed and untracked: a table of a million rows is compared row by row, never held at once.
            await foreach (var row in set.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
            {
                var entry = db.Entry(row);
                var key = KeyOf(entry);
                var now = Snapshot(entry, original: false);
                if (!last.TryGetValue((type.ClrType.Name, key), out var recorded) || recorded is null)
                {
                    drift.Add(new AuditDrift(type.ClrType.Name, key, "no audit event records this row"));
                }
                else if (recorded != now)
                {
                    drift.Add(new AuditDrift(type.ClrType.Name, key, "differs from its last audited state in " + string.Join(", ", Differences(recorded, now))));
                }
            }
        }

        return drift;
    }

    private static IEnumerable<string> Differences(string recorded, string now)
    {
        using var a = JsonDocument.Parse(recorded);
        using var b = JsonDocument.Parse(now);
        var before = a.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        foreach (var p in b.RootElement.EnumerateObject())
        {
            if (!before.TryGetValue(p.Name, out var old) || old != p.Value.GetRawText())
            {
                yield return p.Name;
            }
        }
    }

    /// <summary>Walks the chain in order; returns the first event that does not match, or null when the chain is intact.</summary>
    public static async Task<AuditBreak?> VerifyAsync(ComplianceDb db, CancellationToken ct = default)
    {
        var previous = Genesis;
        long count = 0;
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            count++;
            if (e.PreviousHash != previous)
            {
                return new AuditBreak(e.Id, count, "its previous-hash does not match the event before it: an event was deleted or altered");
            }

            if (HashOf(e) != e.Hash)
            {
                return new AuditBreak(e.Id, count, "its content does not match its hash: the event was edited");
            }

            previous = e.Hash;
        }

        return null;
    }
}

/// <summary>A row whose current state is not what the audit trail last recorded.</summary>
public sealed record AuditDrift(string Entity, string Key, string Why);

/// <summary>Where the audit chain breaks: the event's id, its position, and why.</summary>
public sealed record AuditBreak(long EventId, long Position, string Why);
