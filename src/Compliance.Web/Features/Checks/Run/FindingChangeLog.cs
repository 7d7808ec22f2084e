using System.Data.Common;
using Compliance.Data.Audit;
using Compliance.Domain;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// Collects which findings a check's writer changed (it knows: each upsert it ran, each resolve, each waiver flip the
/// SQL returned), then, before the writer commits, reads those rows back in their final state and appends them as
/// one <see cref="FindingChanges"/> audit event in the same transaction. Cost is proportional to what changed: an
/// unchanged re-run reads nothing back.
/// </summary>
internal sealed class FindingChangeLog
{
    /// <summary>
    /// Up to this many changed rows are read back one by one through the (BindingId, Rule) index; more, by one scan
    /// (a prepared point read costs about as much as scanning a hundred rows).
    /// </summary>
    private const int PointReadLimit = 500;

    private const string Columns =
        "\"Id\", \"BindingId\", \"Rule\", \"Severity\", \"Status\", \"FirstSeen\", \"LastSeen\", \"ResolvedAt\", \"Detail\", \"RestrictionId\", \"ApprovalId\", \"LastCheckRunId\"";

    private const string ReadOne = "SELECT " + Columns + " FROM \"Findings\" WHERE \"BindingId\" = @binding AND \"Rule\" = @rule";

    private readonly HashSet<long> _keys = [];

    public static long Key(int bindingId, int rule) => ((long)bindingId << 8) | (uint)rule;

    public int Count => _keys.Count;

    public void Changed(int bindingId, int rule) => _keys.Add(Key(bindingId, rule));

    public void Changed(long key) => _keys.Add(key);

    /// <summary>
    /// Runs an UPDATE of findings and notes each row it changed (SQLite and PostgreSQL <c>RETURNING</c>, SQL Server
    /// <c>OUTPUT</c>, added before the statement's first WHERE); returns how many.
    /// </summary>
    public int Execute(DbConnection connection, DbTransaction tx, string update, params (string Name, object? Value)[] parameters)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = ReportingChangedRows(update, sqlServer: connection is Microsoft.Data.SqlClient.SqlConnection);
        foreach (var (name, value) in parameters)
        {
            CheckStore.Add(cmd, name, value);
        }

        var count = 0;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            Changed(r.GetInt32(0), r.GetInt32(1));
            count++;
        }

        return count;
    }

    /// <summary>The UPDATE with the changed rows' keys returned: <c>OUTPUT</c> before the first WHERE on SQL Server, <c>RETURNING</c> elsewhere.</summary>
    internal static string ReportingChangedRows(string update, bool sqlServer)
    {
        var where = update.IndexOf(" WHERE ", StringComparison.Ordinal);
        return sqlServer
            ? update[..where] + " OUTPUT inserted.\"BindingId\", inserted.\"Rule\"" + update[where..]
            : update + " RETURNING \"BindingId\", \"Rule\"";
    }

    /// <summary>The changed rows read back in id order, all of them or those meeting <paramref name="condition"/>.</summary>
    internal static string ReadBackSql(string? condition) =>
        $"SELECT {Columns} FROM \"Findings\"" + (condition is null ? "" : " WHERE " + condition) + " ORDER BY \"Id\"";

    /// <summary>Reads the changed rows back and appends the event; nothing when the run changed nothing to replay.</summary>
    /// <param name="scope">
    /// A condition on Findings (with its parameters) that holds every changed row: the rows are then read back by that
    /// indexed condition (a model's findings) instead of by key or by a scan of the whole table.
    /// </param>
    public AuditEvent? Record(
        DbConnection connection, DbTransaction tx, DateTime seenAt, int? checkRunId, IReadOnlyList<long>? seen, string key, string reason, CancellationToken ct,
        (string Condition, (string Name, object? Value)[] Parameters)? scope = null)
    {
        using var changes = new FindingChangesEncoder(seenAt, checkRunId, seen);
        ReadRows(connection, tx, scope, changes, ct);
        return changes.IsEmpty
            ? null
            : AuditTrail.AppendEvent(connection, tx, CheckRunner.Actor, AuditAction.Update, FindingChanges.Entity, key, changes.Finish(), reason);
    }

    /// <summary>Streams the changed rows, in id order, into the event: one row object reused, nothing kept per row.</summary>
    private void ReadRows(
        DbConnection connection, DbTransaction tx, (string Condition, (string Name, object? Value)[] Parameters)? scope, FindingChangesEncoder changes, CancellationToken ct)
    {
        if (_keys.Count == 0)
        {
            return;
        }

        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        if (scope is not null || _keys.Count > PointReadLimit)
        {
            cmd.CommandText = ReadBackSql(scope?.Condition);
            foreach (var (name, value) in scope?.Parameters ?? [])
            {
                CheckStore.Add(cmd, name, value);
            }

            var row = new Finding();
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (_keys.Contains(Key(r.GetInt32(1), r.GetInt32(2))))
                {
                    changes.Add(Read(r, row));
                }
            }

            return;
        }

        // A few rows: read each by its key, then hand them over in id order.
        cmd.CommandText = ReadOne;
        var binding = CheckStore.Add(cmd, "@binding", 0);
        var rule = CheckStore.Add(cmd, "@rule", 0);
        cmd.Prepare();
        var rows = new List<Finding>(_keys.Count);
        foreach (var key in _keys)
        {
            ct.ThrowIfCancellationRequested();
            binding.Value = (int)(key >> 8);
            rule.Value = (int)(key & 0xFF);
            using var r = cmd.ExecuteReader();
            if (r.Read())
            {
                rows.Add(Read(r, new Finding()));
            }
        }

        foreach (var row in rows.OrderBy(f => f.Id))
        {
            changes.Add(row);
        }
    }

    private static Finding Read(DbDataReader r, Finding into)
    {
        into.Id = r.GetInt64(0);
        into.BindingId = r.GetInt32(1);
        into.Rule = (FindingRule)r.GetInt32(2);
        into.Severity = (Severity)r.GetInt32(3);
        into.Status = (FindingStatus)r.GetInt32(4);
        into.FirstSeen = Utc(r.GetDateTime(5));
        into.LastSeen = Utc(r.GetDateTime(6));
        into.ResolvedAt = r.IsDBNull(7) ? null : Utc(r.GetDateTime(7));
        into.Detail = r.GetString(8);
        into.RestrictionId = r.IsDBNull(9) ? null : r.GetInt32(9);
        into.ApprovalId = r.IsDBNull(10) ? null : r.GetInt32(10);
        into.LastCheckRunId = r.IsDBNull(11) ? null : r.GetInt32(11);
        return into;
    }

    private static DateTime Utc(DateTime d) => DateTime.SpecifyKind(d, DateTimeKind.Utc);
}
