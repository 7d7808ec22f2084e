using Compliance.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Compliance.Tests.Infrastructure;

/// <summary>
/// The real app host on a database of its own: a SQLite file in a temporary folder, or an empty database on the test
/// PostgreSQL server that the app migrates at start as a production instance does.
/// </summary>
public class ComplianceAppFactory : WebApplicationFactory<Program>
{
    private readonly DatabaseProvider _provider;
    private string? _postgres;

    /// <summary>On SQLite (xunit builds class fixtures through their one public constructor, which must take nothing).</summary>
    public ComplianceAppFactory()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected ComplianceAppFactory(DatabaseProvider provider) => _provider = provider;

    public DatabaseProvider Provider => _provider;

    public string Folder { get; } = Directory.CreateTempSubdirectory("compliance-app-").FullName;

    public string ConnectionString => _provider == DatabaseProvider.PostgreSql
        ? _postgres ??= PostgresServer.CreateDatabaseAsync(migrated: false).GetAwaiter().GetResult()
        : $"Data Source={Path.Combine(Folder, "compliance.db")}";

    /// <summary>Settings on top of the app's own; tests add or override.</summary>
    protected virtual Dictionary<string, string?> Settings => new()
    {
        ["Database:Provider"] = _provider.ToString(),
        ["ConnectionStrings:Compliance"] = ConnectionString,
        ["DemoData:Enabled"] = "true",
        // Signing seven PDFs at every host start would slow every test; the portal's tests turn it on.
        ["DemoData:Attestations"] = "false",
        ["Jobs:Enabled"] = "false",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            PostgresServer.DropDatabaseAsync(_postgres).GetAwaiter().GetResult();
            _postgres = null;
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
