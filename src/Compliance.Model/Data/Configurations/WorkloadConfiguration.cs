using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class WorkloadConfiguration : IEntityTypeConfiguration<Workload>
{
    public void Configure(EntityTypeBuilder<Workload> b)
    {
        b.ToTable(t => t.HasTrigger(DatabaseCopies.Triggers.WorkloadChanged));
        b.Property(w => w.Name).HasMaxLength(200);
        b.Property(w => w.Key).HasMaxLength(100);
        b.HasIndex(w => w.Key).IsUnique(); // NULLs are distinct (SQLite, PostgreSQL); SQL Server's migration filters them out
        b.Property(w => w.Owner).HasMaxLength(200);
        b.Property(w => w.OwnerEmail).HasMaxLength(320);
        b.Property(w => w.Environment).HasMaxLength(50);
        b.Property(w => w.Description).HasMaxLength(2000);
        b.HasOne(w => w.Customer).WithMany().HasForeignKey(w => w.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(w => new { w.CustomerId, w.Name }).IsUnique();
        b.HasIndex(w => w.Name);
        b.HasIndex(w => new { w.ImpactLevel, w.Id });
    }
}
