using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Compliance.Data;
using Compliance.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Compliance.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests run on: the one scripts/test.sh started (its connection string in
/// <c>COMPLIANCE_TEST_POSTGRES</c>), or, when a developer runs <c>dotnet test</c> alone, a throwaway cluster this
/// process starts the same way (initdb + pg_ctl in a temporary folder on a free port; as the <c>postgres</c> user when
/// running as root) and stops when it exits. With neither, PostgreSQL cases fail with a message saying what to do:
/// they are never skipped.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "COMPLIANCE_TEST_POSTGRES";

    private const string BinFolder = "/usr/lib/postgresql/15/bin";

    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A connection string to the server's <c>postgres</c> database (superuser).</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>
    /// A new database migrated like the app does it, as a copy of one template migrated once per test run (a copy
    /// takes a tenth of a second; migrating, a second or more).
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(bool migrated = true)
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        var template = migrated ? await Template.Value : "template0";
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return For(name);
    }

    /// <summary>Drops a test's database, closing what is still connected to it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static string For(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database, MaxPoolSize = 30 }.ConnectionString;

    private static async Task<string> CreateTemplateAsync()
    {
        var name = $"compliance_template_{Environment.ProcessId}";
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new DbContextOptionsBuilder<ComplianceDb>();
        new DatabaseOptions(DatabaseProvider.PostgreSql, For(name)).Configure(builder);
        await using (var db = new ComplianceDb(builder.Options))
        {
            await db.Database.MigrateAsync();
        }

        NpgsqlConnection.ClearAllPools(); // a template must have no connections when it is copied
        return name;
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            return given;
        }

        if (!File.Exists(Path.Combine(BinFolder, "initdb")))
        {
            throw new InvalidOperationException(
                $"The PostgreSQL tests need a server: run scripts/test.sh (it starts one and sets {Variable}), set {Variable} to a " +
                $"superuser connection string, or install Debian's postgresql package ({BinFolder}/initdb) so the tests start their own.");
        }

        var folder = Directory.CreateTempSubdirectory("compliance-pg-").FullName;
        var port = FreePort();
        var root = Environment.UserName == "root";
        Run(root ? $"chown postgres '{folder}'" : "true");
        Run(AsOwner(root, $"{BinFolder}/initdb -D '{folder}/data' -A trust -U postgres --no-sync >/dev/null"));
        Run(AsOwner(root, $"{BinFolder}/pg_ctl -D '{folder}/data' -l '{folder}/log' -w start " +
            $"-o \"-p {port} -k '{folder}' -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off\" >/dev/null"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Run(AsOwner(root, $"{BinFolder}/pg_ctl -D '{folder}/data' -m immediate stop >/dev/null"));
            Directory.Delete(folder, recursive: true);
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    private static string AsOwner(bool root, string command) => root ? $"su postgres -c \"{command.Replace("\"", "\\\"")}\"" : command;

    private static void Run(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Starting the test PostgreSQL cluster failed ({command}): {error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
