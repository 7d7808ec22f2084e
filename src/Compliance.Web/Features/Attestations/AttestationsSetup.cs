using Hangfire;
using Compliance.Web.Jobs;
using Compliance.Data;
using Compliance.Web.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Attestations;

public static class AttestationsSetup
{
    /// <summary>
    /// Attestation issuing, signing, storage and verification. Outside Production without a configured
    /// certificate, a self-signed development certificate is created beside the database on first use;
    /// in Production a missing certificate stops the app at start.
    /// </summary>
    public static WebApplicationBuilder AddAttestations(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AttestationOptions.Section);
        if (builder.Environment.IsProduction() && string.IsNullOrWhiteSpace(section["Certificate:Path"]))
        {
            throw new InvalidOperationException(AttestationCertificate.ProductionWithoutCertificate);
        }

        // A mistyped authority address stops the start, not the first issue hours later.
        _ = AttestationTimestamping.AuthorityOf(section["TimestampUrl"]);
        builder.Services.Configure<AttestationOptions>(section);
        builder.Services.AddSingleton<AttestationCertificateSource>();
        builder.Services.AddSingleton<SnapshotBuilder>();
        builder.Services.AddSingleton<AttestationService>();
        builder.Services.AddSingleton<AttestationStaleness>();
        builder.Services.AddSingleton<AttestationComparison>();
        builder.Services.AddSingleton<AttestationStalenessTrigger>();
        // After the database startup (registered earlier by AddComplianceData) has migrated and seeded.
        builder.Services.AddHostedService<DemoAttestations>();
        // Each customer's attestation, re-issued monthly (superseding the previous one).
        builder.Services.AddRecurringJobs((jobs, services) => jobs.AddOrUpdate<AttestationService>(
            "attestations-monthly", s => s.IssueMonthlyAsync(CancellationToken.None),
            services.GetRequiredService<IOptions<AttestationOptions>>().Value.Schedule, RecurringJobs.Utc));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.ConfigureDbContext<ComplianceDb>(o => o.AddInterceptors(AttestationImmutability.Instance));
        return builder;
    }
}

/// <summary>Loads the signing certificate once, on first use (creating the development one if needed).</summary>
public sealed class AttestationCertificateSource(IOptions<AttestationOptions> options, DatabaseOptions database, IHostEnvironment environment)
    : IDisposable
{
    private readonly Lazy<AttestationCertificate> _certificate = new(() => AttestationCertificate.Load(
        options.Value,
        options.Value.DataFolder is { Length: > 0 } folder ? Path.GetFullPath(folder, environment.ContentRootPath)
            : database.Provider == DatabaseProvider.Sqlite ? SqliteFile.DataFolder(database.ConnectionString)
            : Path.Combine(environment.ContentRootPath, "App_Data"),
        environment.IsProduction()));

    public AttestationCertificate Get() => _certificate.Value;

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
        {
            _certificate.Value.Dispose();
        }
    }
}

/// <summary>
/// Applies <see cref="AttestationService.EnsureImmutable"/> to every save of every context the app creates,
/// so no page, job or API can change or delete an issued attestation's content, not only the service.
/// </summary>
public sealed class AttestationImmutability : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
{
    public static readonly AttestationImmutability Instance = new();

    public override Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> SavingChanges(
        Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result)
    {
        Check(eventData);
        return result;
    }

    public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> SavingChangesAsync(
        Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Check(eventData);
        return ValueTask.FromResult(result);
    }

    private static void Check(Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            AttestationService.EnsureImmutable(context.ChangeTracker);
        }
    }
}
