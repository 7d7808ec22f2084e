using Compliance.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Where the database is and how EF Core reaches it, from <c>Database:Provider</c> and <c>ConnectionStrings:Compliance</c>.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqliteFile = "App_Data/compliance.db";

    public static DatabaseOptions From(IConfiguration configuration, string contentRoot)
    {
        var name = configuration["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var provider))
        {
            throw new InvalidOperationException($"Database:Provider is '{name}'; it must be Sqlite or SqlServer.");
        }

        var connectionString = configuration.GetConnectionString("Compliance");
        if (provider == DatabaseProvider.SqlServer)
        {
            return string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException(
                    "Database:Provider is SqlServer but ConnectionStrings:Compliance is empty. Set it to the SQL Server connection string.")
                : new(provider, connectionString);
        }

        return new(provider, SqliteFile.Prepare(connectionString, contentRoot));
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (Provider == DatabaseProvider.SqlServer)
        {
            options.UseSqlServer(ConnectionString, x => x.MigrationsAssembly("Compliance.Migrations.SqlServer"));
        }
        else
        {
            options.UseSqlite(ConnectionString, x => x.MigrationsAssembly("Compliance.Migrations.Sqlite"))
                .AddInterceptors(SqlitePragmas.Instance);
        }
    }
}
