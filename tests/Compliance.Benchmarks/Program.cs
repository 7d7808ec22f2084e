using Compliance.Benchmarks;
using Compliance.Web.Data.DemoData;

// Usage: dotnet run -c Release --project tests/Compliance.Benchmarks -- <benchmark[,benchmark…]|all> [--smoke]
//   grid      inventory grid page + count over 1,000,000 bindings (--grid-bindings=250000,1000000 for other sizes)
//   api       /api/v1 bindings and findings pages (first, next at every depth) after a check run
//             (--api-bindings=250000,1000000 for other sizes)
//   check     check run over 1,000,000 bindings (first run, re-runs), time and peak memory
//   recheck   re-check of one model's bindings after one approval change
//   decision  DecisionService in-process (over HTTP: scripts/load.sh)
//   blast     blast radius (what-if) of a vendor restriction over 1,000,000 bindings
//   rollup    daily posture roll-up after a check over 1,000,000 bindings; only when named
//   package   evidence package (ZIP) of the whole inventory after a check, 1,000,000 bindings; only when named
//   pdf       attestation PDF of 1,000 and 10,000 bindings
//   import    bindings CSV import of 1,000,000 rows into a 100,000-binding inventory, time and extra memory
//             (--import-rows=N for another size)
//   circuits  memory per connected dashboard user (Blazor circuit), Debian Chromium; only when named
//             (--circuits=100,500,1000; --frames-per-page=50 holds that many dashboard iframes per tab, 1 = a tab each;
//             --circuits-per-context=200 circuits per browser context)
//   generate  only generate 1,000,000 bindings into --out=<file.db>, for experiments in sqlite3; only when named
//   --check-bindings=N  check/recheck/decision/blast over N bindings instead of 1,000,000 (quicker iterations)
//   --keep-db=<file.db> check/recheck/decision/blast: generate once into <file.db> (VACUUM INTO), later runs start from a
//             copy of it (SQLite; the findings table as generated, empty) instead of generating again
//   --check-warm-runs=N check: runs on the 100,000-binding warm-up inventory before the measured ones (20; was 4)
//   --smoke   tiny sizes: proves the benchmarks still compile and run (CI)
//   --postgresql  generate into PostgreSQL (COMPLIANCE_TEST_POSTGRES names the server) instead of SQLite (check, recheck, decision, grid)
// Each RESULT line gives the figure, the physical limit measured in the same run and their ratio (docs/performance.md).
var smoke = args.Contains("--smoke");
if (args.Contains("--postgresql"))
{
    BenchDatabase.Engine = Compliance.Web.Data.DatabaseProvider.PostgreSql;
    SQLitePCL.Batteries_V2.Init(); // the memory report reads SQLite's counters, which no SQLite connection initialised here
}

var chosen = (args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all").Split(',');
bool Run(string name) => chosen.Contains(name) || chosen.Contains("all");
Console.WriteLine($"AI Model Compliance benchmarks · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {(smoke ? "smoke" : "full")} · {BenchDatabase.Engine} · load average {Measure.Load()}");

if (chosen.Contains("generate"))
{
    var target = args.FirstOrDefault(a => a.StartsWith("--out="))?["--out=".Length..] ?? throw new ArgumentException("generate needs --out=<file.db>");
    await using var bench = await BenchDatabase.GenerateAsync(InventorySize.Scaled(smoke ? 5_000 : 1_000_000));
    await bench.CopyToAsync(target);
    Console.WriteLine($"written to {target}");
}

if (Run("grid"))
{
    var sizes = args.Where(a => a.StartsWith("--grid-bindings=")).Select(a => a["--grid-bindings=".Length..].Split(',').Select(int.Parse)).FirstOrDefault();
    foreach (var size in sizes ?? [smoke ? 5_000 : 1_000_000])
    {
        await GridBenchmark.RunAsync(size, smoke ? 12 : 60);
    }
}

if (Run("api"))
{
    var sizes = args.Where(a => a.StartsWith("--api-bindings=")).Select(a => a["--api-bindings=".Length..].Split(',').Select(int.Parse)).FirstOrDefault();
    foreach (var size in sizes ?? [smoke ? 5_000 : 1_000_000])
    {
        await ApiPagesBenchmark.RunAsync(size, smoke ? 12 : 120);
    }
}

if (Run("check") || Run("recheck") || Run("decision") || Run("blast"))
{
    // One generated inventory for the four: generating 1,000,000 bindings is the slow part.
    var bindings = args.Where(a => a.StartsWith("--check-bindings=")).Select(a => int.Parse(a["--check-bindings=".Length..])).FirstOrDefault(smoke ? 5_000 : 1_000_000);
    var keep = args.FirstOrDefault(a => a.StartsWith("--keep-db="))?["--keep-db=".Length..];
    await using var bench = await BenchDatabase.GenerateOrCopyAsync(InventorySize.Scaled(bindings), keep);
    CheckBenchmark.WarmRuns = args.Where(a => a.StartsWith("--check-warm-runs=")).Select(a => int.Parse(a["--check-warm-runs=".Length..])).FirstOrDefault(smoke ? 2 : 20);
    if (Run("check")) await CheckBenchmark.RunAsync(bench, bindings);
    if (Run("recheck")) await RecheckBenchmark.RunAsync(bench, bindings, smoke ? 3 : 10);
    if (Run("decision")) await DecisionBenchmark.RunAsync(bench, smoke ? 2_000 : 50_000);
    if (Run("blast")) await BlastRadiusBenchmark.RunAsync(bench, bindings, smoke ? 2 : 5);
}

if (chosen.Contains("rollup"))
{
    var bindings = smoke ? 5_000 : 1_000_000;
    await using var bench = await BenchDatabase.GenerateAsync(InventorySize.Scaled(bindings));
    await RollupBenchmark.RunAsync(bench, bindings, smoke ? 2 : 5);
}

if (chosen.Contains("package"))
{
    var bindings = smoke ? 5_000 : 1_000_000;
    await using var bench = await BenchDatabase.GenerateAsync(InventorySize.Scaled(bindings));
    await PackageBenchmark.RunAsync(bench, bindings, smoke ? 1 : 3);
}

if (Run("import"))
{
    var rows = args.Where(a => a.StartsWith("--import-rows=")).Select(a => int.Parse(a["--import-rows=".Length..])).FirstOrDefault(smoke ? 2_000 : 1_000_000);
    await using var bench = await BenchDatabase.GenerateAsync(InventorySize.Scaled(smoke ? 5_000 : 100_000));
    await ImportBenchmark.RunAsync(bench, rows);
}

if (Run("pdf"))
{
    await PdfBenchmark.RunAsync(smoke ? [200] : [1_000, 10_000], smoke ? 2 : 8);
}

if (chosen.Contains("circuits"))
{
    var counts = args.Where(a => a.StartsWith("--circuits=")).Select(a => a["--circuits=".Length..].Split(',').Select(int.Parse).ToArray()).FirstOrDefault();
    int? Option(string name) => args.Where(a => a.StartsWith(name)).Select(a => (int?)int.Parse(a[name.Length..])).FirstOrDefault();
    await CircuitBenchmark.RunAsync(counts ?? (smoke ? [5] : [100]), Option("--frames-per-page=") ?? 50, Option("--circuits-per-context=") ?? 200);
}

Console.WriteLine($"done · load average {Measure.Load()}");
