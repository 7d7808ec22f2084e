using Compliance.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Infrastructure;

/// <summary>The <see cref="IDbContextFactory{TContext}"/> the app's services take, over a <see cref="TestDatabase"/>.</summary>
public sealed class TestDatabaseFactory(TestDatabase database) : IDbContextFactory<ComplianceDb>
{
    public ComplianceDb CreateDbContext() => database.Create();
}
