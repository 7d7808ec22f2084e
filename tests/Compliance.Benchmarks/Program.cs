using Compliance.Benchmarks;

// Usage: dotnet run -c Release --project tests/Compliance.Benchmarks -- <benchmark|all> [--smoke]
//   grid      inventory grid page + count over 1,000,000 bindings
//   --smoke   tiny sizes: proves the benchmarks still compile and run (CI)
var smoke = args.Contains("--smoke");
var which = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
Console.WriteLine($"AI Model Compliance benchmarks · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {(smoke ? "smoke" : "full")}");

if (which is "grid" or "all")
{
    await GridBenchmark.RunAsync(smoke ? 5_000 : 1_000_000, smoke ? 12 : 60);
}
