namespace Compliance.Domain;

/// <summary>
/// An external list of approvals and restrictions, synced all-or-nothing by a recurring job. A source is
/// itself under four-eyes: its configuration is requested by one administrator and approved by another
/// before it fetches anything, and a change that could widen what it approves (address, file, format,
/// schedule, pin, re-enabling) waits as <see cref="PendingConfig"/> until a second administrator decides it.
/// </summary>
public class ApprovalListSource : IVersioned
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public ApprovalListFormat Format { get; set; }

    /// <summary>HTTP(S) address to fetch; null when the list is an uploaded file.</summary>
    public string? Url { get; set; }

    /// <summary>The uploaded file's content, when there is no URL.</summary>
    public byte[]? UploadedContent { get; set; }

    /// <summary>Cron expression of the recurring sync.</summary>
    public string Schedule { get; set; } = "0 * * * *";

    public bool Enabled { get; set; } = true;

    public string? ETag { get; set; }

    public string? ContentSha256 { get; set; }

    public DateTime? LastSyncAt { get; set; }

    public SyncStatus LastSyncStatus { get; set; }

    public string? LastSyncError { get; set; }

    public required string CreatedBy { get; set; }

    /// <summary>Whether the configuration in force was approved by a second administrator; only an approved source fetches.</summary>
    public SourceReview Review { get; set; }

    /// <summary>Subject of the administrator who requested the configuration in force (the list's sponsor): never its approver, never the acceptor of its revisions.</summary>
    public string? RequestedBy { get; set; }

    public DateTime? RequestedAt { get; set; }

    /// <summary>Subject of the administrator who approved or rejected the configuration.</summary>
    public string? ReviewedBy { get; set; }

    public DateTime? ReviewedAt { get; set; }

    public string? ReviewReason { get; set; }

    /// <summary>A requested change to an approved source (JSON of <c>SourceConfig</c>), in force only once a second administrator approves it.</summary>
    public string? PendingConfig { get; set; }

    /// <summary>The file of a pending change that uploads a new list.</summary>
    public byte[]? PendingContent { get; set; }

    public string? PendingRequestedBy { get; set; }

    public DateTime? PendingRequestedAt { get; set; }

    /// <summary>When set, only a list whose SHA-256 is exactly this is accepted; anything else is refused and reported.</summary>
    public string? PinnedSha256 { get; set; }

    public int Version { get; set; }
}

/// <summary>The four-eyes state of a source's configuration.</summary>
public enum SourceReview
{
    Requested,
    Approved,
    Rejected,
}

/// <summary>
/// What a sync found that would widen approvals (new or re-listed approvals, a higher level, more categories,
/// usages, sectors or customers, a later end, a lifted restriction): staged whole until a second administrator
/// accepts or rejects it. Narrowing changes of the same list apply at once.
/// </summary>
public class ApprovalListRevision : IVersioned
{
    public long Id { get; set; }

    public int SourceId { get; set; }

    public DateTime CreatedAt { get; set; }

    public ApprovalListFormat Format { get; set; }

    public required string ContentSha256 { get; set; }

    /// <summary>The list exactly as fetched; accepting applies this content, not whatever the URL serves later.</summary>
    public required byte[] Content { get; set; }

    /// <summary>The widening entries as a <c>SyncDiff</c> JSON.</summary>
    public required string Diff { get; set; }

    public RevisionStatus Status { get; set; }

    public string? DecidedBy { get; set; }

    public DateTime? DecidedAt { get; set; }

    public string? DecisionReason { get; set; }

    public int Version { get; set; }
}

public enum RevisionStatus
{
    Pending,
    Accepted,
    Rejected,

    /// <summary>A newer fetch of the list, or a change of the source, replaced it before anyone decided.</summary>
    Superseded,
}

/// <summary>One sync of a source: what it fetched and what changed.</summary>
public class ApprovalListSync
{
    public long Id { get; set; }

    public int SourceId { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public SyncStatus Status { get; set; }

    public string? ContentSha256 { get; set; }

    public int Added { get; set; }

    public int Changed { get; set; }

    public int Removed { get; set; }

    /// <summary>The added / changed / removed entries as JSON.</summary>
    public string? Diff { get; set; }

    public string? Error { get; set; }

    /// <summary>The revision this sync staged for a second administrator (its widening entries), if any.</summary>
    public long? RevisionId { get; set; }

    public ApprovalListRevision? Revision { get; set; }
}
