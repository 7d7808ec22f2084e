using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class FindingConfiguration : IEntityTypeConfiguration<Finding>
{
    public void Configure(EntityTypeBuilder<Finding> b)
    {
        b.Property(f => f.Detail).HasMaxLength(1000);
        b.HasOne(f => f.Binding).WithMany().HasForeignKey(f => f.BindingId).OnDelete(DeleteBehavior.Cascade);
        // The check run upserts on this key: one finding per binding and rule.
        b.HasIndex(f => new { f.BindingId, f.Rule }).IsUnique();
        b.HasIndex(f => new { f.Status, f.Severity });
        b.HasIndex(f => new { f.Rule, f.Status });
        // The API's keyset page of open findings (Status = Open, Id > after, ORDER BY Id) seeks here instead of sorting them all.
        b.HasIndex(f => new { f.Status, f.Id });
        b.HasIndex(f => f.RestrictionId);
    }
}
