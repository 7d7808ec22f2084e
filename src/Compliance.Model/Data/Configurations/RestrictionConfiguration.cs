using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class RestrictionConfiguration : IEntityTypeConfiguration<Restriction>
{
    public void Configure(EntityTypeBuilder<Restriction> b)
    {
        b.Property(r => r.Provider).HasMaxLength(100);
        b.Property(r => r.Reason).HasMaxLength(2000);
        b.Property(r => r.LiftReason).HasMaxLength(2000);
        b.Property(r => r.CreatedBy).HasMaxLength(200);
        b.Property(r => r.LiftedBy).HasMaxLength(200);
        b.Property(r => r.LiftRequestedBy).HasMaxLength(200);
        b.Property(r => r.LiftRequestReason).HasMaxLength(2000);
        b.Property(r => r.SourceEntryKey).HasMaxLength(200);
        b.Property(r => r.DeadlineExtensionRequestedBy).HasMaxLength(200);
        b.Property(r => r.DeadlineExtensionReason).HasMaxLength(2000);
        b.PrimitiveCollection(r => r.CustomerIds).HasMaxLength(4000);
        b.PrimitiveCollection(r => r.Hostings).HasMaxLength(2000);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasOne(r => r.Model).WithMany().HasForeignKey(r => r.ModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(r => r.Source).WithMany().HasForeignKey(r => r.SourceId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("CK_Restrictions_ModelOrProvider", "\"ModelId\" IS NOT NULL OR \"Provider\" IS NOT NULL"));
        b.HasIndex(r => r.ModelId);
        b.HasIndex(r => r.Provider);
        b.HasIndex(r => new { r.SourceId, r.SourceEntryKey });
    }
}
