using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.ToTable(t => t.HasTrigger(DatabaseCopies.Triggers.CustomerRenamed));
        b.Property(c => c.Code).HasMaxLength(64);
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.ContactEmail).HasMaxLength(320);
        b.HasIndex(c => c.Code).IsUnique();
        b.HasIndex(c => c.Name).IsUnique();
    }
}
