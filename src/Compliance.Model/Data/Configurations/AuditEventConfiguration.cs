using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.Property(e => e.User).HasMaxLength(200);
        b.Property(e => e.UserName).HasMaxLength(200);
        b.Property(e => e.Entity).HasMaxLength(100);
        b.Property(e => e.EntityKey).HasMaxLength(100);
        b.Property(e => e.Before).HasMaxLength(int.MaxValue);
        b.Property(e => e.After).HasMaxLength(int.MaxValue);
        b.Property(e => e.Reason).HasMaxLength(2000);
        b.Property(e => e.PreviousHash).HasMaxLength(64);
        b.Property(e => e.Hash).HasMaxLength(64);
        b.HasIndex(e => new { e.Entity, e.EntityKey });
        b.HasIndex(e => e.At);
    }
}

public sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.ToTable("People");
        b.HasKey(p => p.Subject);
        b.Property(p => p.Subject).HasMaxLength(200);
        b.Property(p => p.DisplayName).HasMaxLength(200);
        b.Property(p => p.Email).HasMaxLength(320);
    }
}
