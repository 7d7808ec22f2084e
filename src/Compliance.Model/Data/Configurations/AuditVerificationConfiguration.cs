using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class AuditVerificationConfiguration : IEntityTypeConfiguration<AuditVerification>
{
    public void Configure(EntityTypeBuilder<AuditVerification> b)
    {
        b.Property(v => v.RequestedBy).HasMaxLength(200);
        b.Property(v => v.Progress).HasMaxLength(200);
        b.Property(v => v.HeadHash).HasMaxLength(64);
        b.Property(v => v.Problems).HasMaxLength(4000);
        b.HasIndex(v => v.StartedAt);
    }
}
