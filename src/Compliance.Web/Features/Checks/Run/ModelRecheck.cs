using System.Data.Common;
using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>What re-checking one model's bindings changed.</summary>
public sealed record ModelRecheckResult(int ModelId, int BindingsEvaluated, int Compliant, int Opened, int Changed, int Resolved, long ElapsedMs);

/// <summary>
/// Re-checks the bindings of one model after its approvals (or restrictions naming it) changed: the same
/// <see cref="ReferenceData"/> and <see cref="BindingEvaluator"/> as the full run, over only that model's bindings
/// (an indexed read: <c>Bindings(ModelId, Id)</c>), and only their findings are inserted, updated, resolved and
/// waived. Plain ADO.NET on the context's connection with SQL every provider runs, in one transaction.
/// A full run afterwards finds nothing to change for those bindings.
/// </summary>
internal static class ModelRecheck
{
    private const string ActiveBindingsOfModel = """
        SELECT b."Id", b."Usage", w."CustomerId", c."Sector", w."ImpactLevel", w."DataCategories"
        FROM "Bindings" b JOIN "Workloads" w ON w."Id" = b."WorkloadId" JOIN "Customers" c ON c."Id" = w."CustomerId"
        WHERE b."ModelId" = @model AND (b."To" IS NULL OR b."To" > @now)
        """;

    private const string OfModel = "\"BindingId\" IN (SELECT \"Id\" FROM \"Bindings\" WHERE \"ModelId\" = @model)";

    private const string FindingsOfModel =
        "SELECT \"Id\", \"BindingId\", \"Rule\", \"Severity\", \"Status\", \"RestrictionId\", \"ApprovalId\", \"Detail\" FROM \"Findings\" WHERE " + OfModel;

    private const string Insert = """
        INSERT INTO "Findings" ("BindingId", "Rule", "Severity", "Status", "FirstSeen", "LastSeen", "ResolvedAt", "Detail", "RestrictionId", "ApprovalId", "LastCheckRunId")
        VALUES (@binding, @rule, @severity, 0, @now, @now, NULL, @detail, @restriction, @approval, NULL)
        """;

    private const string Update = """
        UPDATE "Findings" SET "Severity" = @severity, "Detail" = @detail, "RestrictionId" = @restriction, "ApprovalId" = @approval,
            "LastSeen" = @now, "ResolvedAt" = NULL, "Status" = CASE WHEN "Status" = 2 THEN 0 ELSE "Status" END
        WHERE "Id" = @id
        """;

    private const string Resolve = "UPDATE \"Findings\" SET \"Status\" = 2, \"ResolvedAt\" = @now WHERE \"Id\" = @id";

    private const string StampSeen = "UPDATE \"Findings\" SET \"LastSeen\" = @now WHERE \"Status\" <> 2 AND " + OfModel;

    private const string WaiverInForce = CheckStore.WaiverInForce;

    private const string ReopenExpiredWaivers =
        "UPDATE \"Findings\" SET \"Status\" = 0 WHERE \"Status\" = 1 AND " + OfModel + " AND NOT EXISTS (" + WaiverInForce + ")";

    private const string ApplyWaivers =
        "UPDATE \"Findings\" SET \"Status\" = 1 WHERE \"Status\" = 0 AND " + OfModel + " AND EXISTS (" + WaiverInForce + ")";

    private sealed record Existing(long Id, FindingStatus Status, Severity Severity, int? RestrictionId, int? ApprovalId, string Detail);

    /// <summary>
    /// The reference data the model's bindings need: that model, its approvals and the restrictions in force (the
    /// same filters as <see cref="ReferenceData.LoadAsync"/>, a few rows instead of every model and approval).
    /// </summary>
    public static async Task<ReferenceData> LoadReferenceAsync(ComplianceDb db, int modelId, DateTime at, CancellationToken ct)
    {
        var models = await db.Models.AsNoTracking().Where(m => m.Id == modelId).ToListAsync(ct);
        var approvals = await db.Approvals.AsNoTracking()
            .Where(a => a.ModelId == modelId && (a.Status == ApprovalStatus.Approved || a.Status == ApprovalStatus.Expired)).ToListAsync(ct);
        var restrictions = await db.Restrictions.AsNoTracking().Where(r => r.LiftedAt == null || r.LiftedAt > at).ToListAsync(ct);
        return new ReferenceData(models, approvals, restrictions, at);
    }

    public static ModelRecheckResult Run(ComplianceDb db, ReferenceData reference, int modelId, DateTime at, TimeSpan window, System.Diagnostics.Stopwatch watch, CancellationToken ct)
    {
        // SQLite stores DateTime as EF Core's text; SQL Server takes datetime2, PostgreSQL timestamp with time zone.
        object now = db.Database.IsSqlite() ? SqliteCheckStore.Text(at) : at;
        db.Database.OpenConnection(); // through EF: the SQLite pragmas interceptor runs
        try
        {
            var connection = db.Database.GetDbConnection();
            using var tx = connection.BeginTransaction();
            var wanted = new Dictionary<(int Binding, FindingRule Rule), Reason>();
            int evaluated = 0, compliant = 0;
            if (reference.FindModel(modelId) is not null)
            {
                using var read = Command(connection, tx, ActiveBindingsOfModel, ("@model", modelId), ("@now", now));
                using var r = read.ExecuteReader();
                while (r.Read())
                {
                    var facts = new BindingFacts(modelId, r.GetInt32(2), (Sector)r.GetInt32(3), (ImpactLevel)r.GetInt32(4), (DataCategories)r.GetInt32(5), (Usage)r.GetInt32(1));
                    var evaluation = reference.Evaluate(facts, at, window);
                    evaluated++;
                    compliant += evaluation.Allowed ? 1 : 0;
                    foreach (var reason in evaluation.Reasons)
                    {
                        wanted[(r.GetInt32(0), reason.Rule)] = reason;
                    }
                }
            }

            ct.ThrowIfCancellationRequested();
            var existing = new Dictionary<(int Binding, FindingRule Rule), Existing>();
            using (var read = Command(connection, tx, FindingsOfModel, ("@model", modelId)))
            using (var r = read.ExecuteReader())
            {
                while (r.Read())
                {
                    existing[(r.GetInt32(1), (FindingRule)r.GetInt32(2))] = new Existing(r.GetInt64(0), (FindingStatus)r.GetInt32(4), (Severity)r.GetInt32(3),
                        r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetInt32(6), r.GetString(7));
                }
            }

            int opened = 0, changed = 0, resolved = 0;
            var log = new FindingChangeLog();
            using var insert = Command(connection, tx, Insert, ("@binding", 0), ("@rule", 0), ("@severity", 0), ("@detail", ""), ("@restriction", null), ("@approval", null), ("@now", now));
            using var update = Command(connection, tx, Update, ("@id", 0L), ("@severity", 0), ("@detail", ""), ("@restriction", null), ("@approval", null), ("@now", now));
            foreach (var ((binding, rule), reason) in wanted)
            {
                var detail = CheckStore.Clip(reason.Message);
                if (existing.TryGetValue((binding, rule), out var known))
                {
                    if (known.Status != FindingStatus.Resolved && known.Severity == reason.Severity && known.Detail == detail
                        && known.RestrictionId == reason.RestrictionId && known.ApprovalId == reason.ApprovalId)
                    {
                        continue; // unchanged: LastSeen is stamped below
                    }

                    Set(update, ("@id", known.Id), ("@severity", (int)reason.Severity), ("@detail", detail), ("@restriction", reason.RestrictionId), ("@approval", reason.ApprovalId));
                    update.ExecuteNonQuery();
                    log.Changed(binding, (int)rule);
                    if (known.Status == FindingStatus.Resolved)
                    {
                        opened++;
                    }
                    else
                    {
                        changed++;
                    }

                    continue;
                }

                Set(insert, ("@binding", binding), ("@rule", (int)rule), ("@severity", (int)reason.Severity), ("@detail", detail), ("@restriction", reason.RestrictionId), ("@approval", reason.ApprovalId));
                insert.ExecuteNonQuery();
                log.Changed(binding, (int)rule);
                opened++;
            }

            using (var resolve = Command(connection, tx, Resolve, ("@id", 0L), ("@now", now)))
            {
                foreach (var (key, known) in existing)
                {
                    if (known.Status != FindingStatus.Resolved && !wanted.ContainsKey(key))
                    {
                        resolve.Parameters["@id"].Value = known.Id;
                        resolved += resolve.ExecuteNonQuery();
                        log.Changed(key.Binding, (int)key.Rule);
                    }
                }
            }

            using (var stamp = Command(connection, tx, StampSeen, ("@model", modelId), ("@now", now)))
            {
                stamp.ExecuteNonQuery();
            }

            foreach (var sql in new[] { ReopenExpiredWaivers, ApplyWaivers })
            {
                log.Execute(connection, tx, sql, ("@model", modelId), ("@now", now));
            }

            // The stamp touched the model's findings that were active before (and the changed rows, recorded whole): listed by id.
            List<long> seen = [.. existing.Values.Where(e => e.Status != FindingStatus.Resolved).Select(e => e.Id)];
            log.Record(connection, tx, at, checkRunId: null, seen, $"model {modelId}", $"Re-check of model {modelId}: {log.Count} finding(s) changed", ct,
                scope: (OfModel, [("@model", modelId)]));
            tx.Commit();
            return new ModelRecheckResult(modelId, evaluated, compliant, opened, changed, resolved, watch.ElapsedMilliseconds);
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
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
