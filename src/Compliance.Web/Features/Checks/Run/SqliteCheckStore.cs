using System.Data.Common;
using System.Globalization;
using Compliance.Data;
using Compliance.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// SQLite: bindings scanned on their own connection (WAL keeps it unblocked while the writer commits), joined to
/// the workload arrays in the app; findings upserted with one prepared <c>INSERT … ON CONFLICT DO UPDATE</c> in one
/// transaction on the DbContext's connection.
/// </summary>
public sealed class SqliteCheckStore(ComplianceDb db) : ReaderCheckStore(db)
{
    /// <summary>The format EF Core's SQLite provider stores DateTime in; text comparison orders it correctly.</summary>
    internal static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    protected override DbConnection NewConnection(string connectionString) => new SqliteConnection(connectionString);

    /// <summary>EF Core's SQLite text for DateTime, so the comparisons with the stored columns order correctly.</summary>
    protected override object Timestamp(DateTime at) => Text(at);

    protected override void PrepareScan(DbCommand command, DateTime at, int fromId, int toId)
    {
        var cmd = (SqliteCommand)command;
        cmd.CommandText = ScanStatement;
        cmd.Parameters.AddWithValue("@from", fromId);
        cmd.Parameters.AddWithValue("@to", toId);
        cmd.Parameters.AddWithValue("@now", Text(at));
    }

    public override IFindingWriter BeginFindings(int checkRunId, DateTime at) => new Writer(Db, checkRunId, at);

    /// <summary>
    /// SQLite's soft heap limit (process-wide) at 64 MB for the run: the run's connections (workloads, two readers, the
    /// writer) would each fill a 64 MB page cache, +90 MB over a million bindings; within the limit they share 64 MB and
    /// run no slower. Only during a run: outside one, grids keep their caches (a shared limit made their counts slower).
    /// </summary>
    public override IDisposable BoundMemory()
    {
        var previous = SQLitePCL.raw.sqlite3_soft_heap_limit64(RunMemoryLimit);
        return new Restore(previous);
    }

    internal const long RunMemoryLimit = 64L << 20;

    private sealed class Restore(long previous) : IDisposable
    {
        public void Dispose() => SQLitePCL.raw.sqlite3_soft_heap_limit64(previous);
    }

    /// <summary>
    /// Each reader with the app's pragmas (WAL, timeouts) but SQLite's default 2 MB page cache: a scan reads each page
    /// once and the table outgrows any cache, so the app's 64 MB only filled up on a first run (+64 MB of SQLite's
    /// memory, the most of that run's rise) and served no later read. Connections EF Core opens get the app's size back.
    /// </summary>
    protected override DbConnection OpenReader()
    {
        var connection = base.OpenReader();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = SqlitePragmas.Sql + ScanCache;
        pragmas.ExecuteNonQuery();
        return connection;
    }

    internal const string ScanCache = " PRAGMA cache_size=-2048;";

    /// <summary>
    /// The writer's transaction runs without the foreign-key check of each finding's binding: the run's order makes it
    /// true already. The writer takes the write lock (<c>BEGIN IMMEDIATE</c>) before any reader starts
    /// (<see cref="CheckRunner"/>), so no binding can go between the readers' snapshots and the commit, and each finding
    /// names a binding a reader has just seen. The check looked each binding up again — a random page of
    /// <c>Bindings</c> per new finding, cold on a first run: ≈ 0.6 s and up to 64 MB of page cache for 20,000 new
    /// findings over a million bindings. SQLite takes the pragma only outside a transaction; Dispose turns it back on.
    /// </summary>
    internal const string WithoutForeignKeyCheck = "PRAGMA foreign_keys=OFF;";

    internal const string WithForeignKeyCheck = "PRAGMA foreign_keys=ON;";

    /// <summary>
    /// Unchanged findings cost no statement: the writer loads the active findings (key, severity, ids, a hash of the
    /// detail) at the start, skips a finding that is already there unchanged, upserts the rest, resolves the active
    /// ones it did not see by key, and one statement stamps LastSeen on every active finding (no indexed column
    /// changes there, so no index is touched).
    /// </summary>
    private sealed class Writer : FindingWriter<DbConnection, DbTransaction>
    {
        private const string Upsert = FindingUpsert.Insert + """

            VALUES (@binding, @rule, @severity, 0, @now, @now, NULL, @detail, @restriction, @approval, @run)

            """ + FindingUpsert.OnConflictUpdate + """

            WHERE "Findings"."Status" = 2
                OR "Findings"."Severity" <> excluded."Severity"
                OR "Findings"."Detail" <> excluded."Detail"
                OR "Findings"."RestrictionId" IS NOT excluded."RestrictionId"
                OR "Findings"."ApprovalId" IS NOT excluded."ApprovalId"
            """;

        private const string ResolveOne =
            "UPDATE \"Findings\" SET \"Status\" = 2, \"ResolvedAt\" = @now WHERE \"BindingId\" = @binding AND \"Rule\" = @rule AND \"Status\" <> 2";

        private const string StampSeen =
            "UPDATE \"Findings\" SET \"LastSeen\" = @now, \"LastCheckRunId\" = @run WHERE \"Status\" <> 2";

        private readonly DbCommand _upsert;
        private readonly DbParameter _binding, _rule, _severity, _detail, _restriction, _approval;
        private readonly ActiveFindings _active;
        private readonly string _now;

        public Writer(ComplianceDb db, int run, DateTime at)
            : base(db, run, at, beforeTransaction: WithoutForeignKeyCheck, afterTransaction: WithForeignKeyCheck)
        {
            var now = _now = Text(at);
            _active = ActiveFindings.Read(Connection, Tx);
            _upsert = Connection.CreateCommand();
            _upsert.Transaction = Tx;
            _upsert.CommandText = Upsert;
            _binding = CheckStore.Add(_upsert, "@binding", 0);
            _rule = CheckStore.Add(_upsert, "@rule", 0);
            _severity = CheckStore.Add(_upsert, "@severity", 0);
            _detail = CheckStore.Add(_upsert, "@detail", "");
            _restriction = CheckStore.Add(_upsert, "@restriction", null);
            _approval = CheckStore.Add(_upsert, "@approval", null);
            CheckStore.Add(_upsert, "@now", now);
            CheckStore.Add(_upsert, "@run", run);
            _upsert.Prepare();
        }

        public override void Write(in FindingRow f)
        {
            var detail = CheckStore.Clip(f.Detail);
            if (_active.SeenUnchanged(f, detail))
            {
                return; // unchanged: LastSeen is stamped for all at the end
            }

            _binding.Value = f.BindingId;
            _rule.Value = (int)f.Rule;
            _severity.Value = (int)f.Severity;
            _detail.Value = detail;
            _restriction.Value = f.RestrictionId is { } r ? r : DBNull.Value;
            _approval.Value = f.ApprovalId is { } a ? a : DBNull.Value;
            _upsert.ExecuteNonQuery();
            Log.Changed(f.BindingId, (int)f.Rule);
        }

        public override FindingTotals Complete(CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            var resolved = 0;
            var unseen = _active.Unseen().ToList();
            if (unseen.Count > 0)
            {
                using var resolve = Connection.CreateCommand();
                resolve.Transaction = Tx;
                resolve.CommandText = ResolveOne;
                var binding = CheckStore.Add(resolve, "@binding", 0);
                var rule = CheckStore.Add(resolve, "@rule", 0);
                CheckStore.Add(resolve, "@now", _now);
                resolve.Prepare();
                foreach (var key in unseen)
                {
                    (binding.Value, rule.Value) = ActiveFindings.Split(key);
                    resolved += resolve.ExecuteNonQuery();
                    Log.Changed(key);
                }
            }

            CheckStore.Execute(Connection, Tx, StampSeen, ("@now", _now), ("@run", Run));
            return End(_now, _active.Count, resolved, ct);
        }

        protected override void DisposeOwn() => _upsert.Dispose();
    }
}
