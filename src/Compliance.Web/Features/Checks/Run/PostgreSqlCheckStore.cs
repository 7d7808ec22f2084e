using System.Data.Common;
using Compliance.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// PostgreSQL: bindings scanned on connections of their own (MVCC: readers never wait for the writer); findings
/// that are new or changed are binary-COPYed into a session temp table and merged with one
/// <c>INSERT … ON CONFLICT DO UPDATE</c>, all in one transaction on the DbContext's connection. Like the SQLite
/// writer it first loads the active findings, so a finding that is already there unchanged costs nothing but the
/// final LastSeen stamp; the ones this run did not see are resolved by key in one statement over arrays.
/// </summary>
public sealed class PostgreSqlCheckStore(ComplianceDb db) : ReaderCheckStore(db)
{
    protected override DbConnection NewConnection(string connectionString) => new NpgsqlConnection(connectionString);

    protected override void PrepareScan(DbCommand command, DateTime at, int fromId, int toId)
    {
        var cmd = (NpgsqlCommand)command;
        cmd.CommandText = ScanStatement;
        cmd.Parameters.AddWithValue("from", fromId);
        cmd.Parameters.AddWithValue("to", toId);
        cmd.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, at);
    }

    public override IFindingWriter BeginFindings(int checkRunId, DateTime at) => new Writer(Db, checkRunId, at);

    private sealed class Writer : IFindingWriter
    {
        private const string CreateTemp = """
            CREATE TEMP TABLE "CheckFindings" (
                "BindingId" int NOT NULL, "Rule" int NOT NULL, "Severity" int NOT NULL, "Detail" text NOT NULL,
                "RestrictionId" int NULL, "ApprovalId" int NULL) ON COMMIT DROP
            """;

        private const string Copy =
            "COPY \"CheckFindings\" (\"BindingId\", \"Rule\", \"Severity\", \"Detail\", \"RestrictionId\", \"ApprovalId\") FROM STDIN (FORMAT BINARY)";

        /// <summary>Only rows that are new, changed or resolved reach the temp table; each is written and reported.</summary>
        private const string Upsert = FindingUpsert.Insert + """

            SELECT "BindingId", "Rule", "Severity", 0, @now, @now, NULL, "Detail", "RestrictionId", "ApprovalId", @run FROM "CheckFindings"

            """ + FindingUpsert.OnConflictUpdate;

        private const string ResolveByKey = """
            UPDATE "Findings" f SET "Status" = 2, "ResolvedAt" = @now
            FROM unnest(@bindings, @rules) AS u("BindingId", "Rule")
            WHERE f."BindingId" = u."BindingId" AND f."Rule" = u."Rule" AND f."Status" <> 2
            """;

        private const string StampSeen =
            "UPDATE \"Findings\" SET \"LastSeen\" = @now, \"LastCheckRunId\" = @run WHERE \"Status\" <> 2";

        private readonly ComplianceDb _db;
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _tx;
        private readonly ActiveFindings _active;
        private readonly int _run;
        private readonly DateTime _at;
        private readonly FindingChangeLog _log = new();
        private NpgsqlBinaryImporter? _copy;
        private bool _completed;

        public Writer(ComplianceDb db, int run, DateTime at)
        {
            _db = db;
            _run = run;
            _at = at;
            db.Database.OpenConnection();
            _connection = (NpgsqlConnection)db.Database.GetDbConnection();
            _tx = _connection.BeginTransaction();
            _active = ActiveFindings.Read(_connection, _tx);
            CheckStore.Execute(_connection, _tx, CreateTemp);
        }

        public void Write(in FindingRow f)
        {
            var detail = CheckStore.Clip(f.Detail);
            if (_active.SeenUnchanged(f, detail))
            {
                return; // unchanged: LastSeen is stamped for all at the end
            }

            // One COPY stream for the whole run: rows go to the server as they come, nothing is buffered here.
            _copy ??= _connection.BeginBinaryImport(Copy);
            _copy.StartRow();
            _copy.Write(f.BindingId, NpgsqlDbType.Integer);
            _copy.Write((int)f.Rule, NpgsqlDbType.Integer);
            _copy.Write((int)f.Severity, NpgsqlDbType.Integer);
            _copy.Write(detail, NpgsqlDbType.Text);
            WriteNullable(_copy, f.RestrictionId);
            WriteNullable(_copy, f.ApprovalId);
            _log.Changed(f.BindingId, (int)f.Rule);
        }

        private static void WriteNullable(NpgsqlBinaryImporter copy, int? value)
        {
            if (value is { } v)
            {
                copy.Write(v, NpgsqlDbType.Integer);
            }
            else
            {
                copy.WriteNull();
            }
        }

        public FindingTotals Complete(CancellationToken ct)
        {
            if (_copy is not null)
            {
                _copy.Complete();
                _copy.Dispose();
                _copy = null;
                ct.ThrowIfCancellationRequested();
                using var upsert = new NpgsqlCommand(Upsert, _connection, _tx) { CommandTimeout = 0 };
                upsert.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, _at);
                upsert.Parameters.AddWithValue("run", _run);
                upsert.ExecuteNonQuery();
            }

            ct.ThrowIfCancellationRequested();
            var resolved = 0;
            var unseen = _active.Unseen().ToArray();
            if (unseen.Length > 0)
            {
                using var resolve = new NpgsqlCommand(ResolveByKey, _connection, _tx) { CommandTimeout = 0 };
                resolve.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, _at);
                resolve.Parameters.AddWithValue("bindings", NpgsqlDbType.Array | NpgsqlDbType.Integer, unseen.Select(k => ActiveFindings.Split(k).BindingId).ToArray());
                resolve.Parameters.AddWithValue("rules", NpgsqlDbType.Array | NpgsqlDbType.Integer, unseen.Select(k => ActiveFindings.Split(k).Rule).ToArray());
                resolved = resolve.ExecuteNonQuery();
                foreach (var key in unseen)
                {
                    _log.Changed(key);
                }
            }

            using (var stamp = new NpgsqlCommand(StampSeen, _connection, _tx) { CommandTimeout = 0 })
            {
                stamp.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, _at);
                stamp.Parameters.AddWithValue("run", _run);
                stamp.ExecuteNonQuery();
            }

            var totals = CheckStore.Finish(_connection, _tx, _at, _active.Count, resolved, _log);
            // The stamp above touched every active finding: the event says so once instead of listing them.
            _log.Record(_connection, _tx, _at, _run, seen: null, $"run {_run}", $"Check run {_run}: {_log.Count} finding(s) changed", ct);
            _tx.Commit();
            _completed = true;
            return totals;
        }

        public void Dispose()
        {
            _copy?.Dispose();
            if (!_completed)
            {
                _tx.Rollback();
            }

            _tx.Dispose();
            _db.Database.CloseConnection();
        }
    }
}
