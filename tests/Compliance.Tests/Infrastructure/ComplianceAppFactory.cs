using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Compliance.Tests.Infrastructure;

/// <summary>The real app host on its own database file in a temporary folder.</summary>
public class ComplianceAppFactory : WebApplicationFactory<Program>
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("compliance-app-").FullName;

    public string ConnectionString => $"Data Source={Path.Combine(Folder, "compliance.db")}";

    /// <summary>Settings on top of the app's own; tests add or override.</summary>
    protected virtual Dictionary<string, string?> Settings => new()
    {
        ["ConnectionStrings:Compliance"] = ConnectionString,
        ["DemoData:Enabled"] = "true",
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
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
