using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class ModelConfiguration : IEntityTypeConfiguration<Model>
{
    public void Configure(EntityTypeBuilder<Model> b)
    {
        b.ToTable(t => t.HasTrigger(DatabaseCopies.Triggers.ModelRenamed));
        b.Property(m => m.Provider).HasMaxLength(100);
        b.Property(m => m.HostModelId).HasMaxLength(200);
        b.Property(m => m.DisplayName).HasMaxLength(200);
        b.Property(m => m.Version).HasMaxLength(100);
        b.Property(m => m.Hosting).HasMaxLength(100);
        b.Property(m => m.Region).HasMaxLength(100);
        b.Property(m => m.Description).HasMaxLength(2000);
        b.HasIndex(m => new { m.HostModelId, m.Hosting, m.Region }).IsUnique();
        b.HasIndex(m => new { m.Provider, m.DisplayName });
        b.HasIndex(m => m.DisplayName);
    }
}
