using System.Data.Common;
using System.Globalization;
using Compliance.Data;
using Compliance.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks;

/// <summary>
/// SQLite: bindings scanned on their own connection (WAL keeps it unblocked while the writer commits), joined to
/// the workload arrays in the app; findings upserted with one prepared <c>INSERT … ON CONFLICT DO UPDATE</c> in one
/// transaction on the DbContext's connection.
/// </summary>
public sealed class SqliteCheckStore(ComplianceDb db) : ICheckStore
{
    /// <summary>The format EF Core's SQLite provider stores DateTime in; text comparison orders it correctly.</summary>
    internal static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    public WorkloadTable LoadWorkloads(CancellationToken ct)
    {
        using var connection = OpenReader();
        return CheckStore.LoadWorkloads(connection, ct);
    }

    public (int Min, int Max) BindingIdRange()
    {
        using var connection = OpenReader();
        return CheckStore.ReadRange(connection);
    }

    public int ScanActiveBindings(DateTime at, int fromId, int toId, Action<ActiveBinding> visit, CancellationToken ct)
    {
        using var connection = OpenReader();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT \"Id\", \"ModelId\", \"WorkloadId\", \"Usage\" FROM \"Bindings\" WHERE \"Id\" >= @from AND \"Id\" <= @to AND (\"To\" IS NULL OR \"To\" > @now)";
        cmd.Parameters.AddWithValue("@from", fromId);
        cmd.Parameters.AddWithValue("@to", toId);
        cmd.Parameters.AddWithValue("@now", Text(at));
        using var r = cmd.ExecuteReader();
        var count = 0;
        while (r.Read())
        {
            if ((++count & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            visit(new ActiveBinding(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), (Domain.Usage)r.GetInt32(3)));
        }

        return count;
    }

    public IFindingWriter BeginFindings(int checkRunId, DateTime at) => new Writer(db, checkRunId, Text(at));

    private readonly string _connectionString = db.Database.GetConnectionString()
        ?? throw new InvalidOperationException("The DbContext has no connection string.");

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = SqlitePragmas.Sql;
        pragmas.ExecuteNonQuery();
        return connection;
    }

    private sealed class Writer : IFindingWriter
    {
        private const string Upsert = """
            INSERT INTO "Findings" ("BindingId", "Rule", "Severity", "Status", "FirstSeen", "LastSeen", "ResolvedAt", "Detail", "RestrictionId", "ApprovalId", "LastCheckRunId")
            VALUES (@binding, @rule, @severity, 0, @now, @now, NULL, @detail, @restriction, @approval, @run)
            ON CONFLICT ("BindingId", "Rule") DO UPDATE SET
                "Severity" = excluded."Severity",
                "LastSeen" = excluded."LastSeen",
                "Detail" = excluded."Detail",
                "RestrictionId" = excluded."RestrictionId",
                "ApprovalId" = excluded."ApprovalId",
                "LastCheckRunId" = excluded."LastCheckRunId",
                "Status" = CASE WHEN "Findings"."Status" = 2 THEN 0 ELSE "Findings"."Status" END,
                "ResolvedAt" = NULL
            """;

        private readonly ComplianceDb _db;
        private readonly DbConnection _connection;
        private readonly DbTransaction _tx;
        private readonly DbCommand _upsert;
        private readonly DbParameter _binding, _rule, _severity, _detail, _restriction, _approval;
        private readonly int _run;
        private readonly string _now;
        private readonly int _activeBefore;
        private bool _completed;

        public Writer(ComplianceDb db, int run, string now)
        {
            _db = db;
            _run = run;
            _now = now;
            db.Database.OpenConnection(); // through EF: the pragmas interceptor runs
            _connection = db.Database.GetDbConnection();
            _activeBefore = CheckStore.Scalar(_connection, null, CheckStore.ActiveFindings);
            _tx = _connection.BeginTransaction();
            _upsert = _connection.CreateCommand();
            _upsert.Transaction = _tx;
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

        public void Write(in FindingRow f)
        {
            _binding.Value = f.BindingId;
            _rule.Value = (int)f.Rule;
            _severity.Value = (int)f.Severity;
            _detail.Value = CheckStore.Clip(f.Detail);
            _restriction.Value = f.RestrictionId is { } r ? r : DBNull.Value;
            _approval.Value = f.ApprovalId is { } a ? a : DBNull.Value;
            _upsert.ExecuteNonQuery();
        }

        public FindingTotals Complete(CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            var totals = CheckStore.Finish(_connection, _tx, _run, _now, _activeBefore);
            _tx.Commit();
            _completed = true;
            return totals;
        }

        public void Dispose()
        {
            _upsert.Dispose();
            if (!_completed)
            {
                _tx.Rollback();
            }

            _tx.Dispose();
            _db.Database.CloseConnection();
        }
    }
}
