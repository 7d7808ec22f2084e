using System.Data.Common;
using System.Diagnostics;
using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Data.DemoData;

/// <summary>The size of a generated inventory.</summary>
public sealed record InventorySize(int Customers, int Workloads, int Bindings, int Models = 300, int Approvals = 2000, double FailingShare = 0.106)
{
    public static InventorySize Scaled(int bindings) =>
        new(Math.Max(4, bindings / 5000), Math.Max(10, bindings / 10), bindings, Math.Min(300, Math.Max(12, bindings / 100)), Math.Min(2000, Math.Max(12, bindings / 100)));
}

/// <summary>
/// Generates a large, deterministic inventory for tests and benchmarks (1,000,000 bindings in seconds):
/// plain prepared inserts (SQLite) or binary COPY (PostgreSQL) in one transaction on the DbContext's connection.
/// It bypasses the audit trail on purpose — generated load, not product data — and runs on an empty database only.
/// </summary>
public static class InventoryGenerator
{
    private static readonly string[] Providers = ["Anthropic", "Meta", "Amazon", "OpenAI", "Google", "Mistral AI", "Cohere", "IBM"];
    private static readonly string[] Hostings = ["AWS Bedrock", "AWS Bedrock GovCloud", "Azure OpenAI Government", "Vertex AI", "Self-hosted"];

    public static async Task<TimeSpan> GenerateAsync(ComplianceDb db, InventorySize size, int seed = 42, CancellationToken ct = default)
    {
        var sqlite = db.Database.IsSqlite();
        if (!sqlite && !db.Database.IsNpgsql())
        {
            throw new NotSupportedException("The generator writes SQLite or PostgreSQL; load SQL Server with the bulk copy tools instead.");
        }

        if (await db.Bindings.AnyAsync(ct) || await db.Models.AnyAsync(ct))
        {
            throw new InvalidOperationException("Generate into an empty database: this one already has an inventory.");
        }

        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        var today = DateTime.UtcNow.Date;
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        if (sqlite)
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA cache_size=-65536;";
            await pragma.ExecuteNonQueryAsync(ct);
        }

        await using var tx = await connection.BeginTransactionAsync(ct);

        await InsertAsync(connection, tx, "Customers", ["Code", "Name", "Sector"], size.Customers, i =>
            [$"c{i:D6}", $"Customer {i:D6}", (int)(i % 3 == 0 ? Sector.Defense : i % 3 == 1 ? Sector.Civilian : Sector.Health)], ct);

        var sectors = new Sector[size.Customers + 1];
        for (var i = 1; i <= size.Customers; i++) sectors[i] = i % 3 == 0 ? Sector.Defense : i % 3 == 1 ? Sector.Civilian : Sector.Health;

        await InsertAsync(connection, tx, "Models", ["Provider", "HostModelId", "DisplayName", "Version", "Hosting", "Region", "DeprecatedOn", "RetiredOn"], size.Models, i =>
        {
            var provider = Providers[i % Providers.Length];
            return [provider, $"{provider.ToLowerInvariant().Replace(' ', '-')}.model-{i:D4}-v1:0", $"{provider} Model {i}", "1", Hostings[i % Hostings.Length], "us-gov-west-1",
                i % 50 == 0 ? today.AddDays(-30) : null, i % 100 == 0 ? today.AddDays(-5) : null];
        }, ct);

        var levels = new[] { ImpactLevel.IL2, ImpactLevel.IL4, ImpactLevel.IL5, ImpactLevel.IL6 };
        await InsertAsync(connection, tx, "Workloads", ["CustomerId", "Name", "Owner", "Environment", "ImpactLevel", "DataCategories"], size.Workloads, i =>
            [1 + (i - 1) % size.Customers, $"Workload {i:D7}", "owner", "Production", (int)levels[random.Next(levels.Length)],
                (int)(random.Next(2) == 0 ? DataCategories.CUI : DataCategories.CUI | DataCategories.PII)], ct);

        // Approvals: every model approved up to IL6 for all categories, except a share that fails on level or category.
        await InsertAsync(connection, tx, "Approvals",
            ["ModelId", "Status", "MaxImpactLevel", "DataCategories", "Usages", "Sectors", "CustomerIds", "Hostings", "ValidFrom", "ValidUntil", "Justification", "RequestedBy", "RequestedAt", "DecidedBy", "DecidedAt", "Version"],
            size.Approvals, i =>
            {
                var model = 1 + (i - 1) % size.Models;
                var narrow = random.NextDouble() < size.FailingShare * 2;
                return [model, (int)ApprovalStatus.Approved, (int)(narrow ? ImpactLevel.IL4 : ImpactLevel.IL6), (int)(DataCategories.CUI | DataCategories.PII),
                    (int)Usages.All, 0, Array.Empty<int>(), Array.Empty<string>(), today.AddDays(-400), today.AddDays(i % 97 == 0 ? 20 : 365), "generated", "generator", today.AddDays(-401), "approver", today.AddDays(-400), 0];
            }, ct);

        await InsertAsync(connection, tx, "Bindings", ["ModelId", "WorkloadId", "Usage", "Purpose", "From", "To"], size.Bindings, i =>
            [1 + random.Next(size.Models), 1 + (i - 1) % size.Workloads, (int)Usage.Inference, "", today.AddDays(-random.Next(1, 700)), null], ct);

        await tx.CommitAsync(ct);
        await SqlitePragmas.AnalyzeAsync(db.Database, ct);

        return clock.Elapsed;
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction tx, string table, string[] columns, int count,
        Func<int, object?[]> row, CancellationToken ct)
    {
        if (connection is Npgsql.NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, table, columns, count, row, ct);
            return;
        }

        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = columns.Select((_, i) =>
        {
            var p = cmd.CreateParameter();
            p.ParameterName = $"$p{i}";
            cmd.Parameters.Add(p);
            return p;
        }).ToArray();
        await cmd.PrepareAsync(ct);
        for (var i = 1; i <= count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var values = row(i);
            for (var c = 0; c < values.Length; c++)
            {
                parameters[c].Value = values[c] switch
                {
                    null => DBNull.Value,
                    DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss"),
                    int[] ids => System.Text.Json.JsonSerializer.Serialize(ids), // a primitive collection is JSON text on SQLite
                    string[] names => System.Text.Json.JsonSerializer.Serialize(names),
                    var v => v,
                };
            }

            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>PostgreSQL's bulk path: one binary COPY per table (the binding-copy triggers fire for each row as on insert).</summary>
    private static async Task CopyAsync(Npgsql.NpgsqlConnection connection, string table, string[] columns, int count, Func<int, object?[]> row, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)", ct);
        // Completing a million-row COPY (triggers firing per row) outlasts the 30 s command timeout on a loaded machine.
        copy.Timeout = TimeSpan.FromMinutes(30);
        for (var i = 1; i <= count; i++)
        {
            await copy.StartRowAsync(ct);
            foreach (var value in row(i))
            {
                // Typed writes: binary COPY sends each value in its column's wire format.
                await (value switch
                {
                    null => copy.WriteNullAsync(ct),
                    int v => copy.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Integer, ct),
                    string v => copy.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Text, ct),
                    DateTime v => copy.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.TimestampTz, ct),
                    int[] v => copy.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer, ct), // integer[] here
                    string[] v => copy.WriteAsync(v, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, ct),
                    var v => throw new NotSupportedException($"The generator writes no {v.GetType().Name} values."),
                });
            }
        }

        await copy.CompleteAsync(ct);
    }
}
