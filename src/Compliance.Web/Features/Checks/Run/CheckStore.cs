using System.Data.Common;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>One active binding as the check scans it.</summary>
public readonly record struct ActiveBinding(int Id, int ModelId, int WorkloadId, Usage Usage);

/// <summary>One failing rule (or warning) of one binding, as the check writes it.</summary>
public readonly record struct FindingRow(int BindingId, FindingRule Rule, Severity Severity, string Detail, int? RestrictionId, int? ApprovalId);

/// <summary>What the findings table looks like after a run.</summary>
public sealed record FindingTotals(int Opened, int Resolved, int OpenCritical, int OpenHigh, int OpenMedium, int OpenWarnings);

/// <summary>Every workload's facts (its customer and sector, level, categories), in an array indexed by workload id.</summary>
public sealed class WorkloadTable(BindingFacts[] workloads)
{
    public bool TryGet(int workloadId, int modelId, Usage usage, out BindingFacts facts)
    {
        if ((uint)workloadId >= (uint)workloads.Length || workloads[workloadId].CustomerId == 0)
        {
            facts = default;
            return false;
        }

        facts = workloads[workloadId].For(modelId, usage);
        return true;
    }
}

/// <summary>
/// The check run's reader and writer: plain ADO.NET on the DbContext's connection, because EF Core change
/// tracking is ten times slower for the hundred thousand findings of a large inventory (DESIGN.md). One
/// implementation per provider; everything else in the product stays EF Core.
/// </summary>
public interface ICheckStore
{
    /// <summary>Workload attributes and customer sectors, loaded once (a few MB for 100k workloads).</summary>
    WorkloadTable LoadWorkloads(CancellationToken ct);

    /// <summary>The lowest and highest binding id, to split the scan between readers.</summary>
    (int Min, int Max) BindingIdRange();

    /// <summary>
    /// Streams the bindings with <paramref name="fromId"/> ≤ id ≤ <paramref name="toId"/> still in force at
    /// <paramref name="at"/> (<c>To</c> null or later) on a connection of its own; returns how many. Safe to call
    /// from several threads at once.
    /// </summary>
    int ScanActiveBindings(DateTime at, int fromId, int toId, Action<ActiveBinding> visit, CancellationToken ct);

    /// <summary>Starts writing this run's findings; nothing is visible to others until <see cref="IFindingWriter.Complete"/>.</summary>
    IFindingWriter BeginFindings(int checkRunId, DateTime at);

    /// <summary>Bounds the database engine's memory in this process while a run lasts (disposing restores it).</summary>
    IDisposable BoundMemory();

    /// <summary>Starts re-checking one model's bindings (after its approvals or a restriction naming it changed), on the context's connection.</summary>
    IModelFindings BeginModelRecheck(int modelId, DateTime at);
}

/// <summary>Upserts findings keyed by (binding, rule), then resolves the unseen ones and applies waivers.</summary>
public interface IFindingWriter : IDisposable
{
    void Write(in FindingRow finding);

    /// <summary>Resolves findings this run did not see, re-opens those whose waiver ended, waives those with one in force, commits.</summary>
    FindingTotals Complete(CancellationToken ct);
}

public static class CheckStore
{
    public const int DetailMaxLength = 1000;

    /// <summary>The store for the context's provider; it uses the context's connection for writing.</summary>
    public static ICheckStore For(ComplianceDb db) =>
        db.Database.IsSqlServer() ? new SqlServerCheckStore(db)
        : db.Database.IsNpgsql() ? new PostgreSqlCheckStore(db)
        : db.Database.IsSqlite() ? new SqliteCheckStore(db)
        : throw new NotSupportedException($"No check store for the database provider {db.Database.ProviderName}.");

    /// <summary>
    /// The decision API's read of one workload's facts, on a connection of its own (the decision service is a singleton
    /// and keeps a few, one caller at a time each).
    /// </summary>
    public static IWorkloadFactsReader WorkloadFactsReader(DatabaseOptions database) => new WorkloadFactsReader(database.Provider switch
    {
        DatabaseProvider.SqlServer => new Microsoft.Data.SqlClient.SqlConnection(database.ConnectionString),
        DatabaseProvider.PostgreSql => new Npgsql.NpgsqlConnection(database.ConnectionString),
        _ => new Microsoft.Data.Sqlite.SqliteConnection(database.ConnectionString),
    }, preparedTypes: database.IsServer);

    /// <summary>Splits the binding ids into <paramref name="readers"/> contiguous ranges, one per parallel scan.</summary>
    public static IReadOnlyList<(int From, int To)> Ranges(int min, int max, int readers)
    {
        var span = ((long)max - min + 1 + readers - 1) / readers;
        return [.. Enumerable.Range(0, readers).Select(i => ((int)Math.Min(int.MaxValue, min + (i * span)), (int)Math.Min(max, min + ((i + 1) * span) - 1)))];
    }

    /// <summary>Hands each (Id, ModelId, WorkloadId, Usage) row to <paramref name="visit"/>, checking for cancellation every 65,536 rows.</summary>
    internal static int VisitBindings(DbDataReader r, Action<ActiveBinding> visit, CancellationToken ct)
    {
        var count = 0;
        while (r.Read())
        {
            if ((++count & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            visit(new ActiveBinding(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), (Usage)r.GetInt32(3)));
        }

        return count;
    }

    internal static string Clip(string detail) => detail.Length <= DetailMaxLength ? detail : detail[..(DetailMaxLength - 1)] + "…";

    private const string CustomerSectors = "SELECT \"Id\", \"Sector\" FROM \"Customers\"";
    private const string MaxWorkloadId = "SELECT COALESCE(MAX(\"Id\"), 0) FROM \"Workloads\"";
    private const string WorkloadAttributes = "SELECT \"Id\", \"CustomerId\", \"ImpactLevel\", \"DataCategories\" FROM \"Workloads\"";

    /// <summary>Reads workloads and customers into arrays; the SQL is the same on every provider.</summary>
    internal static WorkloadTable LoadWorkloads(DbConnection connection, CancellationToken ct)
    {
        var sectors = new Dictionary<int, Sector>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = CustomerSectors;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                sectors[r.GetInt32(0)] = (Sector)r.GetInt32(1);
            }
        }

        int max;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = MaxWorkloadId;
            max = Convert.ToInt32(cmd.ExecuteScalar());
        }

        var workloads = new BindingFacts[max + 1];
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = WorkloadAttributes;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var id = r.GetInt32(0);
                if (id > max)
                {
                    continue; // added after MAX was read: the next run sees it
                }

                ct.ThrowIfCancellationRequested();
                var customer = r.GetInt32(1);
                workloads[id] = BindingFacts.OfWorkload(customer, sectors.GetValueOrDefault(customer), (ImpactLevel)r.GetInt32(2), (DataCategories)r.GetInt32(3));
            }
        }

        return new WorkloadTable(workloads);
    }

    /// <summary>The columns of one workload's facts, in the order <see cref="ReadWorkloadFacts"/> reads them (workload <c>w</c>, customer <c>c</c>).</summary>
    internal const string WorkloadFactsColumns = "w.\"CustomerId\", c.\"Sector\", w.\"ImpactLevel\", w.\"DataCategories\"";

    /// <summary>A workload's facts from a row of <see cref="WorkloadFactsColumns"/> starting at <paramref name="first"/>.</summary>
    internal static BindingFacts ReadWorkloadFacts(DbDataReader r, int first) =>
        BindingFacts.OfWorkload(r.GetInt32(first), (Sector)r.GetInt32(first + 1), (ImpactLevel)r.GetInt32(first + 2), (DataCategories)r.GetInt32(first + 3));

    internal static DbParameter Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        if (value is DateTime && cmd is Microsoft.Data.SqlClient.SqlCommand)
        {
            // SQL Server: full precision, like the datetime2 columns. (On PostgreSQL DateTime2 would mean timestamp without
            // time zone; Npgsql infers timestamp with time zone from the UTC value, like the columns.)
            p.DbType = System.Data.DbType.DateTime2;
        }

        cmd.Parameters.Add(p);
        return p;
    }

    internal static int Execute(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(cmd, name, value);
        }

        return cmd.ExecuteNonQuery();
    }

    internal static int Scalar(DbConnection connection, DbTransaction? tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return Convert.ToInt32(cmd.ExecuteScalar());
    }

    /// <summary>
    /// Each end in a subquery of its own: SQLite reads one end of the key only for a lone MIN or MAX, and for both in
    /// one SELECT scanned a whole index (0.1–0.3 s over a million bindings, every run).
    /// </summary>
    internal const string BindingIdRange =
        "SELECT COALESCE((SELECT MIN(\"Id\") FROM \"Bindings\"), 0), COALESCE((SELECT MAX(\"Id\") FROM \"Bindings\"), 0)";

    internal static (int Min, int Max) ReadRange(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = BindingIdRange;
        using var r = cmd.ExecuteReader();
        r.Read();
        return (Convert.ToInt32(r.GetValue(0)), Convert.ToInt32(r.GetValue(1)));
    }

    internal const string ActiveFindings = "SELECT COUNT(*) FROM \"Findings\" WHERE \"Status\" <> 2";

    /// <summary>Findings this run did not see stop failing: resolved.</summary>
    internal const string ResolveUnseen =
        "UPDATE \"Findings\" SET \"Status\" = 2, \"ResolvedAt\" = @now WHERE \"Status\" <> 2 AND (\"LastCheckRunId\" IS NULL OR \"LastCheckRunId\" <> @run)";

    /// <summary>
    /// A waiver of the finding in force at @now — and, for a finding of a restriction, only until that restriction's
    /// (current) transition deadline: a waiver never outlasts it, even one granted before the deadline moved.
    /// </summary>
    internal const string WaiverInForce =
        "SELECT 1 FROM \"Waivers\" w WHERE w.\"FindingId\" = \"Findings\".\"Id\" AND w.\"GrantedAt\" <= @now AND w.\"ExpiresAt\" > @now AND (w.\"RevokedAt\" IS NULL OR w.\"RevokedAt\" > @now)"
        + " AND NOT EXISTS (SELECT 1 FROM \"Restrictions\" rd WHERE rd.\"Id\" = \"Findings\".\"RestrictionId\" AND rd.\"TransitionDeadline\" <= @now)";

    /// <summary>An open finding with a waiver in force is waived.</summary>
    internal const string ApplyWaivers = "UPDATE \"Findings\" SET \"Status\" = 1 WHERE \"Status\" = 0 AND EXISTS (" + WaiverInForce + ")";

    /// <summary>A waived finding whose waiver expired (or was revoked) is open again.</summary>
    internal const string ReopenExpiredWaivers = "UPDATE \"Findings\" SET \"Status\" = 0 WHERE \"Status\" = 1 AND NOT EXISTS (" + WaiverInForce + ")";

    internal const string OpenBySeverity = "SELECT \"Severity\", COUNT(*) FROM \"Findings\" WHERE \"Status\" = 0 GROUP BY \"Severity\"";

    /// <summary>The common end of a run, after the unseen findings were resolved: waivers, totals; inside the writer's transaction.</summary>
    internal static FindingTotals Finish(DbConnection connection, DbTransaction tx, object now, int activeBefore, int resolved, FindingChangeLog log)
    {
        // The waiver flips go into the run's audit event: the rows they touched come back from the statements themselves.
        log.Execute(connection, tx, ReopenExpiredWaivers, ("@now", now));
        log.Execute(connection, tx, ApplyWaivers, ("@now", now));
        var activeAfter = Scalar(connection, tx, ActiveFindings);
        var bySeverity = new Dictionary<Severity, int>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = OpenBySeverity;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                bySeverity[(Severity)r.GetInt32(0)] = Convert.ToInt32(r.GetValue(1)); // COUNT is bigint on PostgreSQL
            }
        }

        // active after = active before − resolved + opened (new or re-opened).
        return new FindingTotals(activeAfter - activeBefore + resolved, resolved,
            bySeverity.GetValueOrDefault(Severity.Critical), bySeverity.GetValueOrDefault(Severity.High),
            bySeverity.GetValueOrDefault(Severity.Medium), bySeverity.GetValueOrDefault(Severity.Warning));
    }
}
