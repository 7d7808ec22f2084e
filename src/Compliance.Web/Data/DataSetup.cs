using Compliance.Data;
using Compliance.Web.Data.DemoData;

namespace Compliance.Web.Data;

public static class DataSetup
{
    /// <summary>
    /// The database (a SQLite file by default, SQL Server when <c>Database:Provider</c> says so), a
    /// DbContext factory for components and jobs, the shared Data Protection key ring (encrypted with a certificate), the health
    /// check, and migration plus demo data at start.
    /// </summary>
    public static WebApplicationBuilder AddComplianceData(this WebApplicationBuilder builder)
    {
        var database = DatabaseOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(database);
        builder.Services.AddDbContextFactory<ComplianceDb>(database.Configure);
        builder.Services.Configure<DemoDataOptions>(builder.Configuration.GetSection("DemoData"));
        // First hosted service: everything after it (key ring, jobs) finds the schema in place.
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.AddKeyRing(database);
        builder.Services.AddHealthChecks().AddDbContextCheck<ComplianceDb>("database");
        return builder;
    }
}
