using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class AttestationConfiguration : IEntityTypeConfiguration<Attestation>
{
    public void Configure(EntityTypeBuilder<Attestation> b)
    {
        b.Property(a => a.VerificationCode).HasMaxLength(32);
        b.Property(a => a.Statement).HasMaxLength(4000);
        b.Property(a => a.IssuedBy).HasMaxLength(200);
        b.Property(a => a.SnapshotJson).HasMaxLength(int.MaxValue);
        b.Property(a => a.SnapshotSha256).HasMaxLength(64);
        b.Property(a => a.Pdf).HasMaxLength(int.MaxValue);
        b.Property(a => a.PdfSha256).HasMaxLength(64);
        b.Property(a => a.WithdrawnBy).HasMaxLength(200);
        b.Property(a => a.WithdrawalReason).HasMaxLength(2000);
        b.Property(a => a.StaleReason).HasMaxLength(2000);
        b.HasOne(a => a.Customer).WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => a.VerificationCode).IsUnique();
        b.HasIndex(a => new { a.CustomerId, a.IssuedAt });
    }
}

public sealed class AttestationDownloadConfiguration : IEntityTypeConfiguration<AttestationDownload>
{
    public void Configure(EntityTypeBuilder<AttestationDownload> b)
    {
        b.Property(d => d.DownloadedBy).HasMaxLength(200);
        b.Property(d => d.Format).HasMaxLength(10);
        b.HasOne<Attestation>().WithMany().HasForeignKey(d => d.AttestationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(d => new { d.AttestationId, d.At });
    }
}
