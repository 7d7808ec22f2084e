using System.Data;
using System.Data.Common;
using System.Globalization;
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

    /// <summary>
    /// Audit events are the trail itself; verification results report on it (and are anchored outside the database);
    /// the key ring, the API's replay cache of idempotent requests (whose effects are audited themselves) and the
    /// ended sessions' random ids are infrastructure; the daily posture roll-up is derived from audited rows and
    /// recomputed at will (ADR 008). Everything else — attestation downloads included — is audited.
    /// </summary>
    private static bool IsAudited(EntityEntry e) => !IsTrailItself(e.Metadata.ClrType);

    internal static bool IsTrailItself(Type type) =>
        type == typeof(AuditEvent) || type == typeof(AuditVerification) || type == typeof(DataProtectionKey)
        || type == typeof(IdempotentRequest) || type == typeof(EndedSession) || type == typeof(PostureDay);

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
        // Whole microseconds: what every provider stores exactly (PostgreSQL keeps no finer), so the hash verifies.
        var at = UtcDateTimeConverter.ToMicroseconds(DateTime.UtcNow);
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

    /// <summary>
    /// Serialises appends: on SQL Server an application lock, on PostgreSQL a transaction-level advisory lock (both held
    /// until the appending transaction ends, across every instance); SQLite's write transaction already excludes
    /// other writers.
    /// </summary>
    private static async Task LockChainAsync(ComplianceDb db, bool sync, CancellationToken ct)
    {
        var sql = ChainLockSql(db.Database.ProviderName);
        if (sql is null)
        {
            return;
        }

        if (sync)
        {
            db.Database.ExecuteSqlRaw(sql);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }

    /// <summary>A key of PostgreSQL's advisory locks (64-bit), for the audit chain: "audit-ch" in ASCII.</summary>
    public const long ChainLockKey = 0x61756469742D6368;

    /// <summary>SQL Server's lock on the chain for the rest of the transaction.</summary>
    public const string SqlServerChainLock = "EXEC sp_getapplock @Resource = 'audit-chain', @LockMode = 'Exclusive', @LockOwner = 'Transaction'";

    private static string? ChainLockSql(string? provider) =>
        provider is null ? null
        : provider.EndsWith("SqlServer", StringComparison.Ordinal) ? SqlServerChainLock
        : provider.Contains("Npgsql", StringComparison.Ordinal) ? $"SELECT pg_advisory_xact_lock({ChainLockKey})"
        : null;

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
    /// Appends one event with plain ADO.NET inside the caller's transaction, so it commits or rolls back with the
    /// rows it describes: the check's writer records its finding changes this way (<see cref="FindingChanges"/>).
    /// Same chain and hash as the events <see cref="ComplianceDb.SaveChanges(bool)"/> appends; the caller's write
    /// transaction (SQLite) or the application lock taken here (SQL Server) keeps the chain from forking.
    /// </summary>
    /// <summary>The chain's head (every engine runs this text; a test parses it as T-SQL).</summary>
    public const string HeadSql = "SELECT \"Hash\" FROM \"AuditEvents\" WHERE \"Id\" = (SELECT MAX(\"Id\") FROM \"AuditEvents\")";

    /// <summary>One event appended in the caller's transaction (every engine runs this text).</summary>
    public const string InsertSql = """
        INSERT INTO "AuditEvents" ("At", "User", "Action", "Entity", "EntityKey", "Before", "After", "Reason", "PreviousHash", "Hash")
        VALUES (@at, @user, @action, @entity, @key, NULL, @after, @reason, @previous, @hash)
        """;

    public static AuditEvent AppendEvent(
        DbConnection connection, DbTransaction tx, string actor, AuditAction action, string entity, string key, string? after, string? reason)
    {
        var kind = connection.GetType().Name;
        var sqlite = kind == "SqliteConnection";
        if (ChainLockSql(kind switch { "SqlConnection" => "SqlServer", "NpgsqlConnection" => "Npgsql", _ => kind }) is { } lockSql)
        {
            Command(connection, tx, lockSql).Dispose();
        }

        string previous;
        using (var head = Command(connection, tx, HeadSql, execute: false))
        {
            previous = head.ExecuteScalar() as string ?? Genesis;
        }

        var ev = new AuditEvent
        {
            At = UtcDateTimeConverter.ToMicroseconds(DateTime.UtcNow),
            User = actor,
            Action = action,
            Entity = entity,
            EntityKey = key,
            After = after,
            Reason = reason,
            PreviousHash = previous,
            Hash = "",
        };
        ev.Hash = HashOf(ev);
        using var insert = Command(connection, tx, InsertSql, execute: false);
        // SQLite holds DateTime as EF Core's text; SQL Server as datetime2 (full precision: the hash covers every tick).
        // PostgreSQL infers timestamp with time zone from the UTC value (DateTime2 would mean timestamp without).
        Parameter(insert, "@at", sqlite ? ev.At.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) : ev.At, DbType.DateTime2,
            sqlite || kind == "NpgsqlConnection");
        Parameter(insert, "@user", ev.User);
        Parameter(insert, "@action", (int)ev.Action);
        Parameter(insert, "@entity", ev.Entity);
        Parameter(insert, "@key", ev.EntityKey);
        Parameter(insert, "@after", ev.After);
        Parameter(insert, "@reason", ev.Reason);
        Parameter(insert, "@previous", ev.PreviousHash);
        Parameter(insert, "@hash", ev.Hash);
        insert.ExecuteNonQuery();
        return ev;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, bool execute = true)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        if (execute)
        {
            cmd.ExecuteNonQuery();
        }

        return cmd;
    }

    private static void Parameter(DbCommand cmd, string name, object? value, DbType? type = null, bool sqlite = false)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        if (type is { } t && !sqlite)
        {
            p.DbType = t;
        }

        cmd.Parameters.Add(p);
    }

    /// <summary>
    /// Compares every audited row with the state the trail says it has and lists what differs: rows changed, inserted
    /// or deleted behind the app's back. The state is replayed from the events in order — per-row events, and the
    /// check runs' <see cref="FindingChanges"/> for findings — so an untouched database reports nothing after any
    /// number of check runs. Binding columns the database copies by trigger are re-derived from their sources and
    /// compared. Reads whole tables; an auditor's (or the verification job's) action.
    /// </summary>
    public static Task<List<AuditDrift>> FindDriftAsync(ComplianceDb db, CancellationToken ct = default) => FindDriftAsync(db, null, ct);

    public static async Task<List<AuditDrift>> FindDriftAsync(ComplianceDb db, IProgress<string>? progress, CancellationToken ct)
    {
        progress?.Report("Replaying the trail");
        var last = new Dictionary<(string Entity, string Key), string?>();
        var findings = new Dictionary<long, Finding>();
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(a => a.Id)
            .Select(a => new { a.Entity, a.EntityKey, a.After }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.Entity == FindingChanges.Entity)
            {
                if (e.After is not null)
                {
                    FindingChanges.Decode(e.After).Changes.ApplyTo(findings);
                }

                continue;
            }

            if (e.Entity == nameof(Finding) && long.TryParse(e.EntityKey, CultureInfo.InvariantCulture, out var findingId))
            {
                if (e.After is null)
                {
                    findings.Remove(findingId);
                }
                else
                {
                    findings[findingId] = JsonSerializer.Deserialize<Finding>(e.After, Json)!;
                }

                continue;
            }

            if (e.Entity == nameof(Binding) && e.After is null && int.TryParse(e.EntityKey, CultureInfo.InvariantCulture, out var bindingId))
            {
                // The database deletes a binding's findings with it (cascade): the binding's Delete event stands for theirs.
                foreach (var id in findings.Where(f => f.Value.BindingId == bindingId).Select(f => f.Key).ToList())
                {
                    findings.Remove(id);
                }
            }

            last[(e.Entity, e.EntityKey)] = e.After;
        }

        foreach (var (id, finding) in findings)
        {
            last[(nameof(Finding), id.ToString(CultureInfo.InvariantCulture))] = Snapshot(db.Entry(finding), original: false);
        }

        findings.Clear();
        var drift = new List<AuditDrift>();
        var scanned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in db.Model.GetEntityTypes().Where(t => !t.IsOwned() && !IsTrailItself(t.ClrType)))
        {
            var name = type.ClrType.Name;
            scanned.Add(name);
            progress?.Report($"Comparing {name} rows");
            var set = (IQueryable<object>)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!
                .MakeGenericMethod(type.ClrType).Invoke(db, null)!;
            // Streamed and untracked: a table of a million rows is compared row by row, never held at once.
            await foreach (var row in set.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
            {
                var entry = db.Entry(row);
                var key = KeyOf(entry);
                var now = Snapshot(entry, original: false);
                // Removed as it is matched: what is left afterwards is what the trail has and the table lacks.
                if (!last.Remove((name, key), out var recorded))
                {
                    drift.Add(new AuditDrift(name, key, "no audit event records this row: inserted outside the application"));
                }
                else if (recorded is null)
                {
                    drift.Add(new AuditDrift(name, key, "the trail recorded its deletion, yet the row is in the table: re-inserted outside the application"));
                }
                else if (recorded != now)
                {
                    drift.Add(new AuditDrift(name, key, "differs from its last audited state in " + string.Join(", ", Differences(recorded, now))));
                }
            }
        }

        foreach (var ((entity, key), after) in last.OrderBy(l => l.Key.Entity, StringComparer.Ordinal).ThenBy(l => l.Key.Key, StringComparer.Ordinal))
        {
            if (after is not null && scanned.Contains(entity))
            {
                drift.Add(new AuditDrift(entity, key, "the trail says this row exists (its last event is not a delete), but the table lacks it: deleted outside the application"));
            }
        }

        progress?.Report("Re-deriving the binding copies");
        drift.AddRange(await FindCopyDriftAsync(db, ct));
        return drift;
    }

    /// <summary>
    /// The binding columns kept by triggers (<see cref="DatabaseCopies"/>) are left out of the trail as derived; they
    /// are re-derived here from the rows they copy, so a copy edited behind the app's back (which would mislead the
    /// grids and the attestations that read them) is reported too.
    /// </summary>
    private static async Task<List<AuditDrift>> FindCopyDriftAsync(ComplianceDb db, CancellationToken ct)
    {
        var ids = await db.Bindings.AsNoTracking()
            .Where(b => b.CustomerId != b.Workload!.CustomerId || b.WorkloadName != b.Workload.Name || b.ImpactLevel != b.Workload.ImpactLevel
                || b.CustomerName != b.Workload.Customer!.Name || b.ModelName != b.Model!.DisplayName)
            .OrderBy(b => b.Id).Select(b => b.Id).Take(10_000).ToListAsync(ct);
        return [.. ids.Select(id => new AuditDrift(nameof(Binding), id.ToString(CultureInfo.InvariantCulture),
            "its copies of the workload's, customer's or model's attributes differ from those rows: the copies were changed outside the application"))];
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
    public static async Task<AuditBreak?> VerifyAsync(ComplianceDb db, CancellationToken ct = default) =>
        (await VerifyChainAsync(db, null, ct)).Break;

    /// <summary>
    /// Walks the chain in order: each event's previous-hash and own hash, and each check run's finding changes against
    /// their digest. Reports the events checked every ten thousand, and returns the head it reached.
    /// </summary>
    public static async Task<ChainVerification> VerifyChainAsync(ComplianceDb db, IProgress<long>? progress, CancellationToken ct)
    {
        var previous = Genesis;
        long count = 0, headId = 0;
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            count++;
            if (count % 10_000 == 0)
            {
                progress?.Report(count);
            }

            if (e.PreviousHash != previous)
            {
                return new ChainVerification(count, headId, previous,
                    new AuditBreak(e.Id, count, "its previous-hash does not match the event before it: an event was deleted or altered"));
            }

            if (HashOf(e) != e.Hash)
            {
                return new ChainVerification(count, headId, previous, new AuditBreak(e.Id, count, "its content does not match its hash: the event was edited"));
            }

            if (e.Entity == FindingChanges.Entity && e.After is not null && DigestMismatch(e.After) is { } why)
            {
                return new ChainVerification(count, headId, previous, new AuditBreak(e.Id, count, why));
            }

            previous = e.Hash;
            headId = e.Id;
        }

        progress?.Report(count);
        return new ChainVerification(count, headId, previous, null);
    }

    private static string? DigestMismatch(string after)
    {
        try
        {
            var (changes, count, digest) = FindingChanges.Decode(after);
            return changes.Rows.Count != count ? $"its finding changes hold {changes.Rows.Count} rows but claim {count}"
                : changes.Digest() != digest ? "its finding changes do not match their digest"
                : null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            return "its finding changes cannot be read: " + ex.Message;
        }
    }
}

/// <summary>A row whose current state is not what the audit trail last recorded.</summary>
public sealed record AuditDrift(string Entity, string Key, string Why);

/// <summary>How far a chain walk got: events checked, the last intact event (the head when there is no break).</summary>
public sealed record ChainVerification(long EventsChecked, long HeadEventId, string HeadHash, AuditBreak? Break);

/// <summary>Where the audit chain breaks: the event's id, its position, and why.</summary>
public sealed record AuditBreak(long EventId, long Position, string Why);
