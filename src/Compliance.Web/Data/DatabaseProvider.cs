using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}

/// <summary>Where the database is and how EF Core reaches it, from <c>Database:Provider</c> and <c>ConnectionStrings:Compliance</c>.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqliteFile = "App_Data/compliance.db";

    /// <summary>A server engine (SQL Server or PostgreSQL): shared by every instance, nothing kept beside the app.</summary>
    public bool IsServer => Provider != DatabaseProvider.Sqlite;

    public static DatabaseOptions From(IConfiguration configuration, string contentRoot)
    {
        var name = configuration["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            throw new InvalidOperationException($"Database:Provider is '{name}'; it must be Sqlite, PostgreSql or SqlServer.");
        }

        var connectionString = configuration.GetConnectionString("Compliance");
        if (provider != DatabaseProvider.Sqlite)
        {
            return string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException(
                    $"Database:Provider is {provider} but ConnectionStrings:Compliance is empty. Set it to the {provider} connection string.")
                : new(provider, connectionString);
        }

        return new(provider, SqliteFile.Prepare(connectionString, contentRoot));
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        switch (Provider)
        {
            case DatabaseProvider.SqlServer:
                options.UseSqlServer(ConnectionString, x => x.MigrationsAssembly("Compliance.Migrations.SqlServer"));
                break;
            case DatabaseProvider.PostgreSql:
                options.UseNpgsql(ConnectionString, x => x.MigrationsAssembly("Compliance.Migrations.PostgreSql"));
                break;
            default:
                options.UseSqlite(ConnectionString, x => x.MigrationsAssembly("Compliance.Migrations.Sqlite"))
                    .AddInterceptors(SqlitePragmas.Instance);
                break;
        }
    }
}
