using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class ApprovalConfiguration : IEntityTypeConfiguration<Approval>
{
    public void Configure(EntityTypeBuilder<Approval> b)
    {
        b.Property(a => a.Conditions).HasMaxLength(2000);
        b.Property(a => a.Justification).HasMaxLength(2000);
        b.Property(a => a.DecisionReason).HasMaxLength(2000);
        b.Property(a => a.RequestedBy).HasMaxLength(200);
        b.Property(a => a.DecidedBy).HasMaxLength(200);
        b.Property(a => a.SourceEntryKey).HasMaxLength(200);
        b.PrimitiveCollection(a => a.CustomerIds).HasMaxLength(4000);
        b.PrimitiveCollection(a => a.Hostings).HasMaxLength(2000);
        b.Property(a => a.Version).IsConcurrencyToken();
        b.HasOne(a => a.Model).WithMany().HasForeignKey(a => a.ModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Approval>().WithMany().HasForeignKey(a => a.RenewalOfId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(a => a.Source).WithMany().HasForeignKey(a => a.SourceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.ModelId, a.Status });
        b.HasIndex(a => new { a.Status, a.ValidUntil });
        b.HasIndex(a => new { a.SourceId, a.SourceEntryKey });
    }
}
