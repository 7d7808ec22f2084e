using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

public sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> b)
    {
        b.Property(w => w.Name).HasMaxLength(200);
        b.Property(w => w.Url).HasMaxLength(2000);
        b.Property(w => w.Events).HasMaxLength(2000);
        b.Property(w => w.ProtectedSecret).HasMaxLength(4000);
        b.Property(w => w.CreatedBy).HasMaxLength(200);
        b.Ignore(w => w.EventList);
    }
}

public sealed class WebhookDeliveryRecordConfiguration : IEntityTypeConfiguration<WebhookDeliveryRecord>
{
    public void Configure(EntityTypeBuilder<WebhookDeliveryRecord> b)
    {
        b.ToTable("WebhookDeliveries");
        b.Property(d => d.EventId).HasMaxLength(64);
        b.Property(d => d.EventType).HasMaxLength(100);
        b.Property(d => d.Error).HasMaxLength(1000);
        b.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.WebhookId, d.Id });
    }
}

public sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> b)
    {
        b.HasKey(p => p.Subject);
        b.Property(p => p.Subject).HasMaxLength(200);
    }
}
