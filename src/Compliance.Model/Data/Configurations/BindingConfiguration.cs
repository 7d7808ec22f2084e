using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class BindingConfiguration : IEntityTypeConfiguration<Binding>
{
    public void Configure(EntityTypeBuilder<Binding> b)
    {
        b.Property(x => x.Purpose).HasMaxLength(500);
        b.HasOne(x => x.Model).WithMany().HasForeignKey(x => x.ModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Workload).WithMany().HasForeignKey(x => x.WorkloadId).OnDelete(DeleteBehavior.Restrict);
        // "What does this model serve?" and "which models serve this workload?", each in id order for keyset paging.
        b.HasIndex(x => new { x.ModelId, x.Id });
        b.HasIndex(x => new { x.WorkloadId, x.Id });
        b.HasIndex(x => x.From);
    }
}
