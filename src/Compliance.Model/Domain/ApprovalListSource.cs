namespace Compliance.Domain;

/// <summary>An external list of approvals and restrictions, synced all-or-nothing by a recurring job.</summary>
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

    public int Version { get; set; }
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
}
