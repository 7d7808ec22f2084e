namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// The parts the SQLite and PostgreSQL finding upserts share (SQL Server merges instead, so none of this reaches it):
/// what a finding seen again takes from the run — its facts and the stamp — and that a resolved one opens again.
/// </summary>
internal static class FindingUpsert
{
    internal const string Insert =
        "INSERT INTO \"Findings\" (\"BindingId\", \"Rule\", \"Severity\", \"Status\", \"FirstSeen\", \"LastSeen\", \"ResolvedAt\", \"Detail\", \"RestrictionId\", \"ApprovalId\", \"LastCheckRunId\")";

    internal const string OnConflictUpdate = """
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
}
