using Compliance.Data;
using Compliance.Web.Data.DemoData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// On the first run of a demo (demo data on, no attestation yet), issues one attestation per customer through the real
/// service — evaluated, rendered and signed like any other — in the name of <c>Attestations:Signatory</c> (else the demo
/// officer), so a customer signing in finds a statement to download and verify. Runs after the database startup seeded.
/// </summary>
public sealed class DemoAttestations(
    IDbContextFactory<ComplianceDb> dbFactory, AttestationService service, IOptions<DemoDataOptions> demo,
    IOptions<AttestationOptions> options, ILogger<DemoAttestations> log) : IHostedService
{
    /// <summary>The demo's compliance officer (a demo user of the embedded provider).</summary>
    public const string DemoOfficer = "officer";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!demo.Value.Enabled || !demo.Value.Attestations)
        {
            return;
        }

        List<int> customers;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Attestations.AnyAsync(cancellationToken))
            {
                return;
            }

            customers = await db.Customers.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(cancellationToken);
        }

        var issuer = options.Value.Signatory?.Trim() is { Length: > 0 } s ? s : DemoOfficer;
        foreach (var id in customers)
        {
            await service.IssueAsync(id, issuer, null, cancellationToken);
        }

        log.LogInformation("Demo data: issued one attestation for each of {Count} customers as {Issuer}", customers.Count, issuer);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
