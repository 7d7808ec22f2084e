using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class WaiverConfiguration : IEntityTypeConfiguration<Waiver>
{
    public void Configure(EntityTypeBuilder<Waiver> b)
    {
        b.Property(w => w.Justification).HasMaxLength(2000);
        b.Property(w => w.GrantedBy).HasMaxLength(200);
        b.Property(w => w.RevokedBy).HasMaxLength(200);
        b.Property(w => w.Version).IsConcurrencyToken();
        b.HasOne(w => w.Finding).WithMany().HasForeignKey(w => w.FindingId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(w => new { w.FindingId, w.ExpiresAt });
        b.HasIndex(w => w.ExpiresAt);
    }
}
