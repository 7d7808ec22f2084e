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
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasIndex(s => s.Name).IsUnique();
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
        b.HasIndex(s => new { s.SourceId, s.StartedAt });
    }
}
