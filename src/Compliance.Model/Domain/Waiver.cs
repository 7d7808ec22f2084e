namespace Compliance.Domain;

/// <summary>A compliance officer accepts a finding until a date. An expired waiver re-opens it.</summary>
public class Waiver : IVersioned
{
    public int Id { get; set; }

    public long FindingId { get; set; }

    public Finding? Finding { get; set; }

    public required string Justification { get; set; }

    public required string GrantedBy { get; set; }

    public DateTime GrantedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public int Version { get; set; }

    public bool IsInForceAt(DateTime at) => GrantedAt <= at && at < ExpiresAt && (RevokedAt is null || at < RevokedAt);
}
