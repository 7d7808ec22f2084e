using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class ApprovalListSourceConfiguration : IEntityTypeConfiguration<ApprovalListSource>
{
    public void Configure(EntityTypeBuilder<ApprovalListSource> b)
    {
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Url).HasMaxLength(2000);
        b.Property(s => s.UploadedContent).HasMaxLength(10 * 1024 * 1024);
        b.Property(s => s.Schedule).HasMaxLength(100);
        b.Property(s => s.ETag).HasMaxLength(400);
        b.Property(s => s.ContentSha256).HasMaxLength(64);
        b.Property(s => s.LastSyncError).HasMaxLength(4000);
        b.Property(s => s.CreatedBy).HasMaxLength(200);
        b.Property(s => s.RequestedBy).HasMaxLength(200);
        b.Property(s => s.ReviewedBy).HasMaxLength(200);
        b.Property(s => s.ReviewReason).HasMaxLength(2000);
        b.Property(s => s.PendingConfig).HasMaxLength(4000);
        b.Property(s => s.PendingContent).HasMaxLength(10 * 1024 * 1024);
        b.Property(s => s.PendingRequestedBy).HasMaxLength(200);
        b.Property(s => s.PinnedSha256).HasMaxLength(64);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasIndex(s => s.Name).IsUnique();
    }
}

public sealed class ApprovalListRevisionConfiguration : IEntityTypeConfiguration<ApprovalListRevision>
{
    public void Configure(EntityTypeBuilder<ApprovalListRevision> b)
    {
        b.Property(r => r.ContentSha256).HasMaxLength(64);
        b.Property(r => r.Content).HasMaxLength(10 * 1024 * 1024);
        b.Property(r => r.Diff).HasMaxLength(int.MaxValue);
        b.Property(r => r.DecidedBy).HasMaxLength(200);
        b.Property(r => r.DecisionReason).HasMaxLength(2000);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasOne<ApprovalListSource>().WithMany().HasForeignKey(r => r.SourceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.SourceId, r.Status });
    }
}

public sealed class ApprovalListSyncConfiguration : IEntityTypeConfiguration<ApprovalListSync>
{
    public void Configure(EntityTypeBuilder<ApprovalListSync> b)
    {
        b.Property(s => s.ContentSha256).HasMaxLength(64);
        b.Property(s => s.Diff).HasMaxLength(int.MaxValue);
        b.Property(s => s.Error).HasMaxLength(4000);
        b.HasOne<ApprovalListSource>().WithMany().HasForeignKey(s => s.SourceId).OnDelete(DeleteBehavior.Cascade);
        // Not cascading: the source already cascades to both (one path per row on SQL Server).
        b.HasOne(s => s.Revision).WithMany().HasForeignKey(s => s.RevisionId).OnDelete(DeleteBehavior.NoAction);
        b.HasIndex(s => new { s.SourceId, s.StartedAt });
    }
}
