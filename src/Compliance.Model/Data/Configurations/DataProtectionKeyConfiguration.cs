using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    // The key XML is longer than the model's default string length.
    public void Configure(EntityTypeBuilder<DataProtectionKey> b) => b.Property(k => k.Xml).HasMaxLength(int.MaxValue);
}
