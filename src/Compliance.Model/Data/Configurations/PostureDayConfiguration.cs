using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class PostureDayConfiguration : IEntityTypeConfiguration<PostureDay>
{
    public void Configure(EntityTypeBuilder<PostureDay> b)
    {
        // One row per day and customer: the key is what makes a second roll-up on the same day replace, not add.
        // No foreign key to Customers: the whole inventory's row has customer 0, and history outlives a removed customer.
        b.HasKey(d => new { d.CustomerId, d.Day });
        b.HasIndex(d => d.Day);
        b.Ignore(d => d.OpenFindings);
        b.Ignore(d => d.CompliantShare);
    }
}
