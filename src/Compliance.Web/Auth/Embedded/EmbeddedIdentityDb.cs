using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Auth.Embedded;

/// <summary>
/// OpenIddict's applications, authorizations, scopes and tokens for the embedded development provider,
/// in its own SQLite file beside the database. Development only: created with <c>EnsureCreated</c>,
/// never part of the production migrations.
/// </summary>
public sealed class EmbeddedIdentityDb(DbContextOptions<EmbeddedIdentityDb> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseOpenIddict();
    }
}
