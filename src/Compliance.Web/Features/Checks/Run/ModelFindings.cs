using System.Data.Common;
using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>A finding of the re-checked model as it stood before the re-check.</summary>
public sealed record ModelFinding(long Id, FindingStatus Status, Severity Severity, int? RestrictionId, int? ApprovalId, string Detail);

/// <summary>
/// The re-check of one model's findings, in one transaction on the DbContext's connection: read the model's bindings
/// in force and its findings, write what the rule wants (each change noted for the audit event), then
/// <see cref="Complete"/>. Nothing is visible to others until then; disposing without it rolls back.
/// </summary>
public interface IModelFindings : IDisposable
{
    /// <summary>The model's bindings in force at the re-check's time, with their facts (an indexed read: <c>Bindings(ModelId, Id)</c>).</summary>
    IEnumerable<(int BindingId, BindingFacts Facts)> ActiveBindings();

    /// <summary>Every finding of the model's bindings, whatever its status, by (binding, rule).</summary>
    Dictionary<(int Binding, FindingRule Rule), ModelFinding> Findings();

    void Insert(int bindingId, Reason reason, string detail);

    /// <summary>Rewrites a finding (re-opening it when it was resolved).</summary>
    void Update(int bindingId, FindingRule rule, long findingId, Reason reason, string detail);

    int Resolve(int bindingId, FindingRule rule, long findingId);

    /// <summary>
    /// Stamps LastSeen on the model's active findings, re-opens those whose waiver ended and waives those with one in
    /// force, appends the one <c>Findings</c> audit event (<paramref name="seen"/>: the ids the stamp touched), commits.
    /// </summary>
    void Complete(IReadOnlyList<long> seen, CancellationToken ct);
}

/// <summary>
/// <see cref="IModelFindings"/> in SQL every engine runs (the engines differ only in the timestamp parameter, which the
/// store passes: EF Core's text on SQLite, <c>datetime2</c> on SQL Server, <c>timestamptz</c> on PostgreSQL).
/// </summary>
internal sealed class ModelFindings : StoreTransaction<DbConnection, DbTransaction>, IModelFindings
{
    private const string ActiveBindingsOfModel = "SELECT b.\"Id\", b.\"Usage\", " + CheckStore.WorkloadFactsColumns + """

        FROM "Bindings" b JOIN "Workloads" w ON w."Id" = b."WorkloadId" JOIN "Customers" c ON c."Id" = w."CustomerId"
        WHERE b."ModelId" = @model AND (b."To" IS NULL OR b."To" > @now)
        """;

    internal const string OfModel = "\"BindingId\" IN (SELECT \"Id\" FROM \"Bindings\" WHERE \"ModelId\" = @model)";

    private const string FindingsOfModel =
        "SELECT \"Id\", \"BindingId\", \"Rule\", \"Severity\", \"Status\", \"RestrictionId\", \"ApprovalId\", \"Detail\" FROM \"Findings\" WHERE " + OfModel;

    private const string InsertFinding = """
        INSERT INTO "Findings" ("BindingId", "Rule", "Severity", "Status", "FirstSeen", "LastSeen", "ResolvedAt", "Detail", "RestrictionId", "ApprovalId", "LastCheckRunId")
        VALUES (@binding, @rule, @severity, 0, @now, @now, NULL, @detail, @restriction, @approval, NULL)
        """;

    private const string UpdateFinding = """
        UPDATE "Findings" SET "Severity" = @severity, "Detail" = @detail, "RestrictionId" = @restriction, "ApprovalId" = @approval,
            "LastSeen" = @now, "ResolvedAt" = NULL, "Status" = CASE WHEN "Status" = 2 THEN 0 ELSE "Status" END
        WHERE "Id" = @id
        """;

    private const string ResolveFinding = "UPDATE \"Findings\" SET \"Status\" = 2, \"ResolvedAt\" = @now WHERE \"Id\" = @id";

    private const string StampSeen = "UPDATE \"Findings\" SET \"LastSeen\" = @now WHERE \"Status\" <> 2 AND " + OfModel;

    private const string ReopenExpiredWaivers =
        "UPDATE \"Findings\" SET \"Status\" = 0 WHERE \"Status\" = 1 AND " + OfModel + " AND NOT EXISTS (" + CheckStore.WaiverInForce + ")";

    private const string ApplyWaivers =
        "UPDATE \"Findings\" SET \"Status\" = 1 WHERE \"Status\" = 0 AND " + OfModel + " AND EXISTS (" + CheckStore.WaiverInForce + ")";

    private readonly int _modelId;
    private readonly object _now;
    private readonly DateTime _at;
    private DbCommand? _insert, _update, _resolve;

    /// <param name="now">The re-check's time as the engine's parameter takes it.</param>
    public ModelFindings(ComplianceDb db, int modelId, object now, DateTime at)
        : base(db)
    {
        _modelId = modelId;
        _now = now;
        _at = at;
    }

    public IEnumerable<(int BindingId, BindingFacts Facts)> ActiveBindings()
    {
        using var read = Command(ActiveBindingsOfModel, ("@model", _modelId), ("@now", _now));
        using var r = read.ExecuteReader();
        while (r.Read())
        {
            yield return (r.GetInt32(0), CheckStore.ReadWorkloadFacts(r, 2).For(_modelId, (Usage)r.GetInt32(1)));
        }
    }

    public Dictionary<(int Binding, FindingRule Rule), ModelFinding> Findings()
    {
        var existing = new Dictionary<(int Binding, FindingRule Rule), ModelFinding>();
        using var read = Command(FindingsOfModel, ("@model", _modelId));
        using var r = read.ExecuteReader();
        while (r.Read())
        {
            existing[(r.GetInt32(1), (FindingRule)r.GetInt32(2))] = new ModelFinding(r.GetInt64(0), (FindingStatus)r.GetInt32(4), (Severity)r.GetInt32(3),
                r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetInt32(6), r.GetString(7));
        }

        return existing;
    }

    public void Insert(int bindingId, Reason reason, string detail)
    {
        _insert ??= Command(InsertFinding, ("@binding", 0), ("@rule", 0), ("@severity", 0), ("@detail", ""), ("@restriction", null), ("@approval", null), ("@now", _now));
        Set(_insert, ("@binding", bindingId), ("@rule", (int)reason.Rule), ("@severity", (int)reason.Severity), ("@detail", detail),
            ("@restriction", reason.RestrictionId), ("@approval", reason.ApprovalId));
        _insert.ExecuteNonQuery();
        Log.Changed(bindingId, (int)reason.Rule);
    }

    public void Update(int bindingId, FindingRule rule, long findingId, Reason reason, string detail)
    {
        _update ??= Command(UpdateFinding, ("@id", 0L), ("@severity", 0), ("@detail", ""), ("@restriction", null), ("@approval", null), ("@now", _now));
        Set(_update, ("@id", findingId), ("@severity", (int)reason.Severity), ("@detail", detail), ("@restriction", reason.RestrictionId), ("@approval", reason.ApprovalId));
        _update.ExecuteNonQuery();
        Log.Changed(bindingId, (int)rule);
    }

    public int Resolve(int bindingId, FindingRule rule, long findingId)
    {
        _resolve ??= Command(ResolveFinding, ("@id", 0L), ("@now", _now));
        _resolve.Parameters["@id"].Value = findingId;
        var resolved = _resolve.ExecuteNonQuery();
        Log.Changed(bindingId, (int)rule);
        return resolved;
    }

    public void Complete(IReadOnlyList<long> seen, CancellationToken ct)
    {
        using (var stamp = Command(StampSeen, ("@model", _modelId), ("@now", _now)))
        {
            stamp.ExecuteNonQuery();
        }

        foreach (var sql in new[] { ReopenExpiredWaivers, ApplyWaivers })
        {
            Log.Execute(Connection, Tx, sql, ("@model", _modelId), ("@now", _now));
        }

        // The stamp touched the model's findings that were active before (and the changed rows, recorded whole): listed by id.
        Log.Record(Connection, Tx, _at, checkRunId: null, seen, $"model {_modelId}", $"Re-check of model {_modelId}: {Log.Count} finding(s) changed", ct,
            scope: (OfModel, [("@model", _modelId)]));
        Tx.Commit();
    }

    protected override void DisposeOwn()
    {
        _insert?.Dispose();
        _update?.Dispose();
        _resolve?.Dispose();
    }

    private DbCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = Connection.CreateCommand();
        cmd.Transaction = Tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            CheckStore.Add(cmd, name, value);
        }

        return cmd;
    }

    private static void Set(DbCommand cmd, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            cmd.Parameters[name].Value = value ?? DBNull.Value;
        }
    }
}
