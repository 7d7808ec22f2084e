using Compliance.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Compliance.Migrations.PostgreSql;

/// <summary>Lets <c>dotnet ef</c> build the context and script migrations with no server running.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ComplianceDb>
{
    public ComplianceDb CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<ComplianceDb>()
        .UseNpgsql("Host=design-time;Database=compliance",
            x => x.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
        .Options);
}
