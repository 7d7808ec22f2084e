using System.Net;
using Compliance.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Compliance.Tests.Data;

/// <summary>Start-up on database files the app did not make itself.</summary>
public sealed class DatabaseStartupTests
{
    [Fact]
    public async Task The_app_starts_on_a_copy_in_rollback_journal_mode_and_switches_it_to_wal()
    {
        // A migrated, seeded database, copied with VACUUM INTO: the copy is in rollback-journal (delete) mode.
        string copy;
        using (var original = new ComplianceAppFactory())
        {
            using (var client = original.CreateClient())
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
            }

            copy = Path.Combine(Directory.CreateTempSubdirectory("compliance-copy-").FullName, "compliance.db");
            await using var source = new SqliteConnection(original.ConnectionString + ";Pooling=False");
            await source.OpenAsync();
            await using var vacuum = source.CreateCommand();
            vacuum.CommandText = $"VACUUM INTO '{copy}'";
            await vacuum.ExecuteNonQueryAsync();
        }

        try
        {
            Assert.Equal("delete", await JournalModeAsync(copy));

            using var app = new OnFile(copy);
            using var restarted = app.CreateClient();

            Assert.Equal(HttpStatusCode.OK, (await restarted.GetAsync("/health")).StatusCode);
            Assert.Equal("wal", await JournalModeAsync(copy));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }
    }

    private static async Task<string?> JournalModeAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        return (string?)await cmd.ExecuteScalarAsync();
    }

    private sealed class OnFile(string file) : ComplianceAppFactory
    {
        protected override Dictionary<string, string?> Settings => new(base.Settings)
        {
            ["ConnectionStrings:Compliance"] = $"Data Source={file}",
        };
    }
}
