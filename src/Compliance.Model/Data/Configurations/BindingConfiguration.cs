using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class BindingConfiguration : IEntityTypeConfiguration<Binding>
{
    public void Configure(EntityTypeBuilder<Binding> b)
    {
        b.ToTable(t =>
        {
            t.HasTrigger(DatabaseCopies.Triggers.BindingInserted);
            t.HasTrigger(DatabaseCopies.Triggers.BindingReassigned);
        });
        b.Property(x => x.Purpose).HasMaxLength(500);
        b.Property(x => x.CustomerId).IsDatabaseCopy();
        b.Property(x => x.CustomerName).HasMaxLength(200).IsDatabaseCopy();
        b.Property(x => x.WorkloadName).HasMaxLength(200).IsDatabaseCopy();
        b.Property(x => x.ImpactLevel).IsDatabaseCopy();
        b.Property(x => x.ModelName).HasMaxLength(200).IsDatabaseCopy();
        b.HasOne(x => x.Model).WithMany().HasForeignKey(x => x.ModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Workload).WithMany().HasForeignKey(x => x.WorkloadId).OnDelete(DeleteBehavior.Restrict);
        // "What does this model serve?" and "which models serve this workload?", each in id order for keyset paging.
        b.HasIndex(x => new { x.ModelId, x.Id });
        b.HasIndex(x => new { x.WorkloadId, x.Id });
        b.HasIndex(x => x.From);
        // "Active at T" (From ≤ T < To) counted from the index alone: the default view of every bindings grid.
        b.HasIndex(x => new { x.To, x.From });
        // The check run's scan reads this narrow index in id order instead of the rows, which the copies below widen.
        b.HasIndex(x => new { x.Id, x.ModelId, x.WorkloadId, x.Usage, x.To });
        // The inventory grid's sort and filter keys, each with the id so a page is one index range (keyset paging).
        b.HasIndex(x => new { x.CustomerId, x.Id });
        b.HasIndex(x => new { x.CustomerName, x.Id });
        b.HasIndex(x => new { x.WorkloadName, x.Id });
        b.HasIndex(x => new { x.ImpactLevel, x.Id });
        b.HasIndex(x => new { x.ModelName, x.Id });
    }
}
