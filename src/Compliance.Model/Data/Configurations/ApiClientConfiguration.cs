using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> b)
    {
        b.Property(c => c.ClientId).HasMaxLength(64);
        b.Property(c => c.SecretSha256).HasMaxLength(64);
        b.Property(c => c.Scopes).HasMaxLength(200);
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.CreatedBy).HasMaxLength(200);
        b.Property(c => c.RevokedBy).HasMaxLength(200);
        b.HasOne(c => c.Customer).WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => c.ClientId).IsUnique();
        b.HasIndex(c => c.CustomerId);
    }
}
