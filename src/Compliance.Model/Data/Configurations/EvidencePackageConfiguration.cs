using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class EvidencePackageConfiguration : IEntityTypeConfiguration<EvidencePackage>
{
    public void Configure(EntityTypeBuilder<EvidencePackage> b)
    {
        b.Property(p => p.BuiltBy).HasMaxLength(200);
        b.Property(p => p.Sha256).HasMaxLength(64);
        b.HasOne<Customer>().WithMany().HasForeignKey(p => p.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => p.BuiltAt);
    }
}
