using Compliance.Data.Audit;
using Compliance.Domain;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Data;

/// <summary>
/// The product's one DbContext. Every save that changes a domain entity appends hash-chained audit
/// events in the same transaction, attributed to <see cref="Actor"/>.
/// </summary>
public partial class ComplianceDb(DbContextOptions<ComplianceDb> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Model> Models => Set<Model>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Workload> Workloads => Set<Workload>();
    public DbSet<Binding> Bindings => Set<Binding>();
    public DbSet<Approval> Approvals => Set<Approval>();
    public DbSet<Restriction> Restrictions => Set<Restriction>();
    public DbSet<ApprovalListSource> ApprovalListSources => Set<ApprovalListSource>();
    public DbSet<ApprovalListSync> ApprovalListSyncs => Set<ApprovalListSync>();
    public DbSet<ApprovalListRevision> ApprovalListRevisions => Set<ApprovalListRevision>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<CheckRun> CheckRuns => Set<CheckRun>();
    public DbSet<Finding> Findings => Set<Finding>();
    public DbSet<Waiver> Waivers => Set<Waiver>();
    public DbSet<TransitionPlan> TransitionPlans => Set<TransitionPlan>();
    public DbSet<Attestation> Attestations => Set<Attestation>();
    public DbSet<AttestationDownload> AttestationDownloads => Set<AttestationDownload>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<EvidencePackage> EvidencePackages => Set<EvidencePackage>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditVerification> AuditVerifications => Set<AuditVerification>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<WebhookDeliveryRecord> WebhookDeliveries => Set<WebhookDeliveryRecord>();
    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();

    /// <summary>The daily posture roll-up per customer and for the whole inventory (derived; not audited).</summary>
    public DbSet<PostureDay> PostureDays => Set<PostureDay>();

    /// <summary>Answers to creating API requests sent with an Idempotency-Key, replayed to retries for a day.</summary>
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();

    /// <summary>Signed-out sessions, so every instance refuses their cookies (used on server engines; see SessionStore).</summary>
    public DbSet<EndedSession> EndedSessions => Set<EndedSession>();

    /// <summary>The Data Protection key ring, shared by every instance so cookies stay valid across them.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Who the changes saved through this context are attributed to: a person's stable subject, or <c>system:job</c>.</summary>
    public string? Actor { get; set; }

    /// <summary>Why, when the person gave a reason; recorded on the audit events of the next save.</summary>
    public string? Reason { get; set; }

    /// <summary>Attributes the following saves to <paramref name="actor"/>, with an optional reason.</summary>
    public ComplianceDb As(string actor, string? reason = null)
    {
        Actor = actor;
        Reason = reason;
        return this;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ComplianceDb).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite returns DateTime as Unspecified and cannot order DateTimeOffset: store UTC DateTime, read it back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<string>().HaveMaxLength(400);
    }

    /// <summary>A time as this database stores it (cut to whole microseconds on PostgreSQL), for writers that bypass EF Core.</summary>
    public DateTime AsStored(DateTime value) => IsPostgreSql ? UtcDateTimeConverter.ToMicroseconds(value) : value;

    /// <summary>PostgreSQL (Npgsql): its timestamps keep microseconds, not 100 ns ticks.</summary>
    internal bool IsPostgreSql => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>
    /// On PostgreSQL, cuts the times being saved to whole microseconds in the entities themselves, so what the audit
    /// trail records (and later compares with the table) is exactly what the database stores.
    /// </summary>
    private void CutToMicroseconds()
    {
        foreach (var entry in ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is DateTime d && d.Ticks % 10 != 0)
                {
                    property.CurrentValue = UtcDateTimeConverter.ToMicroseconds(d);
                }
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveWithAuditAsync(acceptAllChangesOnSuccess, sync: true, CancellationToken.None).GetAwaiter().GetResult();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        SaveWithAuditAsync(acceptAllChangesOnSuccess, sync: false, cancellationToken);

    private async Task<int> SaveWithAuditAsync(bool accept, bool sync, CancellationToken ct)
    {
        if (!accept)
        {
            throw new NotSupportedException("Saving without accepting changes would write them twice with the audit events.");
        }

        ChangeTracker.DetectChanges();
        if (IsPostgreSql)
        {
            CutToMicroseconds();
        }

        AuditTrail.BumpVersions(ChangeTracker);
        var pending = AuditTrail.Capture(ChangeTracker);
        if (pending.Count == 0)
        {
            return sync ? base.SaveChanges(accept) : await base.SaveChangesAsync(accept, ct);
        }

        var actor = Actor ?? throw new InvalidOperationException(
            "ComplianceDb.Actor is not set: every change is attributed to a person or job. Call db.As(user) before saving.");

        var ownTransaction = Database.CurrentTransaction is null
            ? (sync ? Database.BeginTransaction() : await Database.BeginTransactionAsync(ct))
            : null;
        try
        {
            var written = sync ? base.SaveChanges(accept) : await base.SaveChangesAsync(accept, ct);
            await AuditTrail.AppendAsync(this, pending, actor, Reason, sync, ct);
            if (sync)
            {
                base.SaveChanges(true);
            }
            else
            {
                await base.SaveChangesAsync(true, ct);
            }

            if (ownTransaction is not null)
            {
                if (sync) ownTransaction.Commit(); else await ownTransaction.CommitAsync(ct);
            }

            return written;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                if (sync) ownTransaction.Dispose(); else await ownTransaction.DisposeAsync();
            }
        }
    }
}
