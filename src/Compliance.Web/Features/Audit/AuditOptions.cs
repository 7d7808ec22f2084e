namespace Compliance.Web.Features.Audit;

/// <summary>Configuration section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>
    /// <c>Audit:AnchorFile</c>: the append-only file the trail's head is written to at each attestation and each
    /// verification (JSON lines). Relative paths are under the app's data folder; default <c>audit-anchors.jsonl</c>
    /// there. Put it on storage the database's administrators cannot rewrite (another volume, a WORM share).
    /// </summary>
    public string AnchorFile { get; set; } = "audit-anchors.jsonl";

    /// <summary><c>Audit:AnchorWebhook</c>: an HTTP(S) URL each anchor is also POSTed to (JSON); empty for none.</summary>
    public string? AnchorWebhook { get; set; }

    /// <summary><c>Audit:VerificationSchedule</c>: cron (UTC) of the verification job; default daily at 03:30.</summary>
    public string VerificationSchedule { get; set; } = "30 3 * * *";
}
