using System.Diagnostics;
using Compliance.Data;
using Compliance.Web.Data;
using Compliance.Web.Data.DemoData;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Benchmarks;

/// <summary>
/// A generated inventory in a temporary SQLite file, or (<c>--postgresql</c>) in a new database on the PostgreSQL
/// server named by <c>COMPLIANCE_TEST_POSTGRES</c>; opened the way the app opens it.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    /// <summary>The engine every benchmark database of this process is created on.</summary>
    public static DatabaseProvider Engine { get; set; } = DatabaseProvider.Sqlite;

    private readonly string? _postgres = Engine == DatabaseProvider.PostgreSql ? CreatePostgres() : null;

    public string Folder { get; } = Directory.CreateTempSubdirectory("compliance-bench-").FullName;

    public DatabaseOptions Options => _postgres is { } postgres
        ? new(DatabaseProvider.PostgreSql, postgres)
        : new(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(Folder, "bench.db")}");

    private static string Server => Environment.GetEnvironmentVariable("COMPLIANCE_TEST_POSTGRES") is { Length: > 0 } server
        ? server
        : throw new InvalidOperationException("--postgresql needs COMPLIANCE_TEST_POSTGRES: a superuser connection string to a PostgreSQL server (see docs/performance.md).");

    private static string CreatePostgres()
    {
        var name = "bench_" + Guid.NewGuid().ToString("N");
        using var connection = new Npgsql.NpgsqlConnection(Server);
        connection.Open();
        using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        create.ExecuteNonQuery();
        return new Npgsql.NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
    }

    public ComplianceDb Create()
    {
        var builder = new DbContextOptionsBuilder<ComplianceDb>();
        Options.Configure(builder);
        return new ComplianceDb(builder.Options).As("benchmark");
    }

    /// <summary>The context factory services take, as the app registers it.</summary>
    public IDbContextFactory<ComplianceDb> Factory => new ContextFactory(this);

    private sealed class ContextFactory(BenchDatabase bench) : IDbContextFactory<ComplianceDb>
    {
        public ComplianceDb CreateDbContext() => bench.Create();
    }

    public static async Task<BenchDatabase> GenerateAsync(InventorySize size)
    {
        var bench = new BenchDatabase();
        await using var db = bench.Create();
        await db.Database.MigrateAsync();
        var took = await InventoryGenerator.GenerateAsync(db, size);
        Console.WriteLine($"generated {size.Bindings:N0} bindings, {size.Workloads:N0} workloads, {size.Models} models, {size.Approvals} approvals in {took.TotalSeconds:0.0} s");
        return bench;
    }

    /// <summary>
    /// Generates, or — when <paramref name="keep"/> names a file a previous run wrote — starts from a copy of it, so that
    /// iterating on the check does not pay the generation each time (127 s for 1M bindings). SQLite only.
    /// </summary>
    public static async Task<BenchDatabase> GenerateOrCopyAsync(InventorySize size, string? keep)
    {
        if (keep is null || Engine != DatabaseProvider.Sqlite)
        {
            return await GenerateAsync(size);
        }

        if (!File.Exists(keep))
        {
            var generated = await GenerateAsync(size);
            await generated.CopyToAsync(keep);
            Console.WriteLine($"kept a copy in {keep}");
            return generated;
        }

        SQLitePCL.Batteries_V2.Init(); // generating would have opened a connection, which initialises SQLite; a copy opens none yet
        var bench = new BenchDatabase();
        File.Copy(keep, Path.Combine(bench.Folder, "bench.db"));
        Console.WriteLine($"copied {keep} ({new FileInfo(keep).Length / 1048576.0:0} MB) instead of generating");
        return bench;
    }

    /// <summary>A consistent copy of the database (VACUUM INTO), for looking at query plans outside the benchmark.</summary>
    public async Task CopyToAsync(string file)
    {
        await using var db = Create();
        await db.Database.ExecuteSqlAsync($"VACUUM INTO {Path.GetFullPath(file)}");
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        if (_postgres is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var connection = new Npgsql.NpgsqlConnection(Server);
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand(
                $"DROP DATABASE IF EXISTS \"{new Npgsql.NpgsqlConnectionStringBuilder(_postgres).Database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>Timing helpers: warm-up, repeated samples, percentiles, and the line each benchmark prints.</summary>
public static class Measure
{
    public static async Task<double[]> SamplesAsync(int warmup, int count, Func<int, Task> action)
    {
        for (var i = 0; i < warmup; i++) await action(i);
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var sw = Stopwatch.StartNew();
            await action(i);
            samples[i] = sw.Elapsed.TotalMilliseconds;
        }

        Array.Sort(samples);
        return samples;
    }

    /// <summary>Samples whose action times only its own part (it returns milliseconds), after untimed set-up.</summary>
    public static async Task<double[]> SamplesAsync(int warmup, int count, Func<int, Task<double>> timed)
    {
        for (var i = 0; i < warmup; i++) await timed(i);
        var samples = new double[count];
        for (var i = 0; i < count; i++) samples[i] = await timed(i);
        Array.Sort(samples);
        return samples;
    }

    /// <summary>Resident memory: Linux resets the process's peak (VmHWM) when 5 is written to clear_refs.</summary>
    public static long ResetPeakMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
            // Not Linux: the peak then covers the whole process so far, which only overstates it.
        }
        catch (UnauthorizedAccessException)
        {
        }

        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    public static long PeakMemory()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    public static double MB(long bytes) => bytes / 1048576.0;

    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static double P(this double[] sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static void Report(string work, string figure, double value, double limit, string target, bool met) =>
        Console.WriteLine($"RESULT | {work} | {figure} | {value:0.###} | limit {limit:0.###} | ratio {value / Math.Max(limit, 1e-9):0.0}x | target {target} | {(met ? "met" : "MISSED")}");
}

/// <summary>
/// Samples the process's anonymous resident memory (RssAnon: heaps and stacks, not the SQLite file pages mapped or
/// cached) every few milliseconds and keeps the highest; Linux keeps no peak of it by itself.
/// </summary>
public sealed class AnonymousMemoryPeak : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    public AnonymousMemoryPeak()
    {
        Before = Read();
        Peak = Before;
        ManagedBefore = GC.GetTotalMemory(false);
        ManagedPeak = ManagedBefore;
        SqliteBefore = SQLitePCL.raw.sqlite3_memory_used();
        SQLitePCL.raw.sqlite3_memory_highwater(1); // reset SQLite's own high-water mark
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                Peak = Math.Max(Peak, Read());
                ManagedPeak = Math.Max(ManagedPeak, GC.GetTotalMemory(false));
                Thread.Sleep(5);
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public long Before { get; }

    public long Peak { get; private set; }

    /// <summary>The managed heap (objects, live or not yet collected) before and at its highest: what the GC holds.</summary>
    public long ManagedBefore { get; }

    public long ManagedPeak { get; private set; }

    /// <summary>SQLite's own allocations at their highest since the start (page caches, statements): what SQLite holds.</summary>
    public static long SqliteHighWater => SQLitePCL.raw.sqlite3_memory_highwater(0);

    public long SqliteBefore { get; }

    public string Breakdown => $"of which managed heap +{Measure.MB(ManagedPeak - ManagedBefore):0} MB at most, SQLite's allocations +{Measure.MB(SqliteHighWater - SqliteBefore):0} MB at most (from {Measure.MB(SqliteBefore):0} MB)";

    public static long Read()
    {
        if (!File.Exists("/proc/self/status")) return 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }
        }

        return 0;
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
