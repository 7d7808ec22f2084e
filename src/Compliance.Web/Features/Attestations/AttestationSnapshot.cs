using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Compliance.Domain;
using Compliance.Web.Features.Checks;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// The frozen facts an attestation states, serialised once to JSON (camelCase, properties in
/// declaration order) and never changed. The PDF is rendered from this alone.
/// </summary>
public sealed record AttestationSnapshot(
    int SchemaVersion,
    string VerificationCode,
    SnapshotCustomer Customer,
    DateTime AsOf,
    string Issuer,
    string Statement,
    SnapshotCheckRun? CheckRun,
    AttestationResult Result,
    IReadOnlyList<SnapshotLevelSummary> Summary,
    IReadOnlyList<SnapshotWorkload> Workloads,
    IReadOnlyList<SnapshotWaiver> Waivers,
    IReadOnlyList<SnapshotTransitionPlan> TransitionPlans,
    IReadOnlyList<SnapshotApproval> Approvals,
    SnapshotAuditHead? AuditHead = null,
    SnapshotEvaluation? Evaluation = null)
{
    /// <summary>
    /// 3: every binding's status comes from an evaluation at issue (<see cref="Evaluation"/> says when); a finding's
    /// <c>id</c> and <c>firstSeen</c> are null when no check run has recorded it yet. 2: the audit trail's head at issue
    /// (<see cref="AuditHead"/>); 1 had none. Each version's JSON Schema is served at <c>/schemas/attestation-v{n}.json</c>.
    /// </summary>
    public const int CurrentSchemaVersion = 3;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static AttestationSnapshot FromJson(string json) =>
        JsonSerializer.Deserialize<AttestationSnapshot>(json, JsonOptions)
        ?? throw new InvalidOperationException("The attestation snapshot is empty.");

    /// <summary>Lower-case hex SHA-256 of the UTF-8 bytes (how snapshot and PDF hashes are stored and printed).</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256(string text) => Sha256(System.Text.Encoding.UTF8.GetBytes(text));

    public int CountBindings() => Workloads.Sum(w => w.Bindings.Count);
}

public enum AttestationResult
{
    Compliant,
    CompliantWithWaivers,
    NotCompliant,

    /// <summary>
    /// Overall result of schema 1 and 2 snapshots only: no check run had completed by the as-of time. Schema 3 evaluates
    /// every binding at issue and never states it.
    /// </summary>
    NotEvaluated,
}

/// <summary>
/// The newest audit event when the attestation was issued. The signed PDF carries it out of the database: if events up
/// to it were later deleted or rewritten, the trail no longer holds this id with this hash (see <c>AuditAnchors</c>).
/// </summary>
public sealed record SnapshotAuditHead(long EventId, string Hash);

/// <summary>
/// When and how the statuses were decided: by the evaluation rule at <see cref="EvaluatedAt"/> (the issue time), over
/// <see cref="BindingsEvaluated"/> bindings, with warnings for approvals ending within <see cref="ExpiringSoonDays"/>.
/// </summary>
public sealed record SnapshotEvaluation(DateTime EvaluatedAt, string Basis, int BindingsEvaluated, int ExpiringSoonDays)
{
    public const string AtIssue = "at issue";

    /// <summary>How the PDF and the JSON state it: <c>Evaluated at 2026-11-29 07:12:03 UTC, at issue</c>.</summary>
    public string Text => $"Evaluated at {EvaluatedAt.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} UTC, {Basis}";
}

public sealed record SnapshotCustomer(string Code, string Name, Sector Sector);

public sealed record SnapshotCheckRun(int Id, DateTime StartedAt, DateTime? FinishedAt, CheckTrigger Trigger, int BindingsEvaluated);

/// <summary>Counts for one impact level; the cover's table.</summary>
public sealed record SnapshotLevelSummary(
    ImpactLevel ImpactLevel, int Workloads, int Bindings, int Compliant, int CompliantWithWaivers, int NotCompliant, int OpenFindings);

public sealed record SnapshotWorkload(
    int Id,
    string Name,
    string Owner,
    string Environment,
    ImpactLevel ImpactLevel,
    IReadOnlyList<DataCategories> DataCategories,
    IReadOnlyList<SnapshotBinding> Bindings);

public sealed record SnapshotBinding(
    int Id,
    SnapshotModel Model,
    Usage Usage,
    string Purpose,
    DateTime From,
    AttestationResult Status,
    IReadOnlyList<SnapshotFinding> Findings);

public sealed record SnapshotModel(
    int Id, string Provider, string HostModelId, string DisplayName, string Version, string Hosting, string Region, ModelLifecycle Lifecycle);

/// <summary>
/// A rule the binding broke (or a warning it carried) when evaluated: open, or waived (then <see cref="WaiverId"/> names
/// the waiver in force). <see cref="Id"/> and <see cref="FirstSeen"/> are the check run's record of it; null when no
/// check has recorded it yet (a binding added or changed after the last run).
/// </summary>
public sealed record SnapshotFinding(
    long? Id, FindingRule Rule, Severity Severity, FindingStatus Status, string Detail, DateTime? FirstSeen, int? WaiverId);

public sealed record SnapshotWaiver(
    int Id, long FindingId, int BindingId, string Workload, string HostModelId, FindingRule Rule,
    string Justification, string GrantedBy, DateTime GrantedAt, DateTime ExpiresAt);

public sealed record SnapshotTransitionPlan(
    int Id, int BindingId, string Workload, string FromHostModelId, string TargetHostModelId, string TargetDisplayName,
    string Owner, DateTime TargetDate, TransitionStatus Status);

public sealed record SnapshotApproval(
    int Id, int ModelId, string HostModelId, ImpactLevel MaxImpactLevel, IReadOnlyList<DataCategories> DataCategories,
    IReadOnlyList<Usages> Usages, IReadOnlyList<Sectors> Sectors, bool CustomerSpecific, DateTime ValidFrom, DateTime? ValidUntil,
    string? Conditions, string? DecidedBy, DateTime? DecidedAt);
