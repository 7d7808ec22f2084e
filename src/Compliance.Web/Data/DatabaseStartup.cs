using Compliance.Data;
using Compliance.Web.Data.DemoData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Data;

/// <summary>Migrates the database and seeds the demo inventory before the app takes requests.</summary>
public sealed class DatabaseStartup(
    IDbContextFactory<ComplianceDb> factory,
    IOptions<DemoDataOptions> demo,
    ILogger<DatabaseStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await SqlitePragmas.UseWalAsync(db.Database, cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            log.LogInformation("Applying {Count} migrations: {Migrations}", pending.Count, pending);
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (demo.Value.Enabled)
        {
            await DemoInventory.SeedAsync(db, log, cancellationToken);
        }

        await SqlitePragmas.OptimizeAsync(db.Database, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
