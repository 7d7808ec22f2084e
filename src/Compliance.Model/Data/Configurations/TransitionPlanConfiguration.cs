using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class TransitionPlanConfiguration : IEntityTypeConfiguration<TransitionPlan>
{
    public void Configure(EntityTypeBuilder<TransitionPlan> b)
    {
        b.Property(p => p.Owner).HasMaxLength(200);
        b.Property(p => p.Notes).HasMaxLength(2000);
        b.Property(p => p.CreatedBy).HasMaxLength(200);
        b.Property(p => p.Version).IsConcurrencyToken();
        b.HasOne(p => p.Binding).WithMany().HasForeignKey(p => p.BindingId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(p => p.Restriction).WithMany().HasForeignKey(p => p.RestrictionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(p => p.TargetModel).WithMany().HasForeignKey(p => p.TargetModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => new { p.RestrictionId, p.Status });
        b.HasIndex(p => new { p.Status, p.TargetDate });
        // At most one open (Planned or InProgress) plan per binding, even when two officers plan at once.
        b.HasIndex(p => p.BindingId).IsUnique().HasFilter("\"Status\" IN (0, 1)").HasDatabaseName("IX_TransitionPlans_BindingId_Open");
    }
}
