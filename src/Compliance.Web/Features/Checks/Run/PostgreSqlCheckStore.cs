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

    private sealed class Writer : FindingWriter<NpgsqlConnection, NpgsqlTransaction>
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

        private readonly ActiveFindings _active;
        private NpgsqlBinaryImporter? _copy;

        public Writer(ComplianceDb db, int run, DateTime at)
            : base(db, run, at)
        {
            _active = ActiveFindings.Read(Connection, Tx);
            CheckStore.Execute(Connection, Tx, CreateTemp);
        }

        public override void Write(in FindingRow f)
        {
            var detail = CheckStore.Clip(f.Detail);
            if (_active.SeenUnchanged(f, detail))
            {
                return; // unchanged: LastSeen is stamped for all at the end
            }

            // One COPY stream for the whole run: rows go to the server as they come, nothing is buffered here.
            _copy ??= Connection.BeginBinaryImport(Copy);
            _copy.StartRow();
            _copy.Write(f.BindingId, NpgsqlDbType.Integer);
            _copy.Write((int)f.Rule, NpgsqlDbType.Integer);
            _copy.Write((int)f.Severity, NpgsqlDbType.Integer);
            _copy.Write(detail, NpgsqlDbType.Text);
            WriteNullable(_copy, f.RestrictionId);
            WriteNullable(_copy, f.ApprovalId);
            Log.Changed(f.BindingId, (int)f.Rule);
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

        public override FindingTotals Complete(CancellationToken ct)
        {
            if (_copy is not null)
            {
                _copy.Complete();
                _copy.Dispose();
                _copy = null;
                ct.ThrowIfCancellationRequested();
                using var upsert = new NpgsqlCommand(Upsert, Connection, Tx) { CommandTimeout = 0 };
                upsert.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, At);
                upsert.Parameters.AddWithValue("run", Run);
                upsert.ExecuteNonQuery();
            }

            ct.ThrowIfCancellationRequested();
            var resolved = 0;
            var unseen = _active.Unseen().ToArray();
            if (unseen.Length > 0)
            {
                using var resolve = new NpgsqlCommand(ResolveByKey, Connection, Tx) { CommandTimeout = 0 };
                resolve.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, At);
                resolve.Parameters.AddWithValue("bindings", NpgsqlDbType.Array | NpgsqlDbType.Integer, unseen.Select(k => ActiveFindings.Split(k).BindingId).ToArray());
                resolve.Parameters.AddWithValue("rules", NpgsqlDbType.Array | NpgsqlDbType.Integer, unseen.Select(k => ActiveFindings.Split(k).Rule).ToArray());
                resolved = resolve.ExecuteNonQuery();
                foreach (var key in unseen)
                {
                    Log.Changed(key);
                }
            }

            using (var stamp = new NpgsqlCommand(StampSeen, Connection, Tx) { CommandTimeout = 0 })
            {
                stamp.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, At);
                stamp.Parameters.AddWithValue("run", Run);
                stamp.ExecuteNonQuery();
            }

            return End(At, _active.Count, resolved, ct);
        }

        protected override void DisposeOwn() => _copy?.Dispose();
    }
}
