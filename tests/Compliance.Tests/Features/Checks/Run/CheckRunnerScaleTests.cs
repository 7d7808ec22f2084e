using System.Diagnostics;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data.DemoData;
using Compliance.Web.Features.Checks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Checks.Run;

/// <summary>
/// A check over a generated inventory (100,000 bindings by default; set <c>CHECK_SCALE_BINDINGS</c> to measure
/// other sizes) gives the counts an independent SQL query gives, and the time is reported.
/// </summary>
public sealed class CheckRunnerScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly int _bindings = int.TryParse(Environment.GetEnvironmentVariable("CHECK_SCALE_BINDINGS"), out var n) ? n : 100_000;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.Create();
        await DemoInventory.SeedAsync(db, NullLogger.Instance);
        var customers = await db.Customers.ToDictionaryAsync(c => c.Id, c => c.Sector);
        var models = await db.Models.Select(m => m.Id).ToListAsync();
        var reference = await ReferenceData.LoadAsync(db, DateTime.UtcNow, CancellationToken.None);
        var watch = Stopwatch.StartNew();
        Generate(customers, models, reference, workloads: Math.Max(1000, _bindings / 10), _bindings);
        output.WriteLine($"generated {_bindings:N0} bindings in {watch.ElapsedMilliseconds} ms");
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    /// <summary>Like the prototype's inventory: about 10% of the bindings fail a rule.</summary>
    private void Generate(Dictionary<int, Sector> sectors, List<int> models, ReferenceData reference, int workloads, int bindings)
    {
        var customers = sectors.Keys.ToList();
        var now = DateTime.UtcNow;
        var workloadCustomer = new int[workloads];
        var workloadLevel = new ImpactLevel[workloads];
        var workloadCategories = new DataCategories[workloads];
        using var connection = new SqliteConnection(_database.ConnectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;";
            pragma.ExecuteNonQuery();
        }

        var random = new Random(42);
        ImpactLevel[] levels = [ImpactLevel.None, ImpactLevel.IL2, ImpactLevel.IL4, ImpactLevel.IL5, ImpactLevel.IL6];
        using var tx = connection.BeginTransaction();
        int firstWorkload;
        using (var max = connection.CreateCommand())
        {
            max.Transaction = tx;
            max.CommandText = "SELECT MAX(Id) FROM Workloads";
            firstWorkload = Convert.ToInt32(max.ExecuteScalar()) + 1;
        }

        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO Workloads (Id, CustomerId, Name, Owner, Environment, ImpactLevel, DataCategories) VALUES ($id, $c, $n, 'gen', 'Production', $l, $d)";
            var id = cmd.Parameters.Add("$id", SqliteType.Integer);
            var c = cmd.Parameters.Add("$c", SqliteType.Integer);
            var name = cmd.Parameters.Add("$n", SqliteType.Text);
            var l = cmd.Parameters.Add("$l", SqliteType.Integer);
            var d = cmd.Parameters.Add("$d", SqliteType.Integer);
            cmd.Prepare();
            for (var i = 0; i < workloads; i++)
            {
                workloadCustomer[i] = customers[random.Next(customers.Count)];
                workloadLevel[i] = levels[random.Next(levels.Length)];
                workloadCategories[i] = (DataCategories)(random.Next(64) & random.Next(64) & random.Next(64));
                id.Value = firstWorkload + i;
                c.Value = workloadCustomer[i];
                name.Value = $"Generated workload {i}";
                l.Value = (int)workloadLevel[i];
                d.Value = (int)workloadCategories[i];
                cmd.ExecuteNonQuery();
            }
        }

        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO Bindings (ModelId, WorkloadId, Usage, Purpose, \"From\", \"To\") VALUES ($m, $w, $u, 'generated', '2025-01-01 00:00:00', $to)";
            var m = cmd.Parameters.Add("$m", SqliteType.Integer);
            var w = cmd.Parameters.Add("$w", SqliteType.Integer);
            var u = cmd.Parameters.Add("$u", SqliteType.Integer);
            var to = cmd.Parameters.Add("$to", SqliteType.Text);
            cmd.Prepare();
            for (var i = 0; i < bindings; i++)
            {
                // Nine in ten bindings are chosen to pass the rule, the rest to fail it (a few tries each).
                var wantAllowed = random.Next(10) != 0;
                int model = 0, workload = 0;
                var usage = Usage.Inference;
                for (var attempt = 0; attempt < 40; attempt++)
                {
                    model = models[random.Next(models.Count)];
                    workload = random.Next(workloads);
                    usage = (Usage)(1 << random.Next(3));
                    var facts = new BindingFacts(model, workloadCustomer[workload], sectors[workloadCustomer[workload]],
                        workloadLevel[workload], workloadCategories[workload], usage);
                    if (reference.Evaluate(facts, now, BindingEvaluator.DefaultExpiringSoonWindow).Allowed == wantAllowed)
                    {
                        break;
                    }
                }

                m.Value = model;
                w.Value = firstWorkload + workload;
                u.Value = (int)usage;
                to.Value = random.Next(50) == 0 ? "2025-06-01 00:00:00" : DBNull.Value; // 2% ended
                cmd.ExecuteNonQuery();
            }
        }

        tx.Commit();
    }

    [Fact]
    public async Task Check_over_a_generated_inventory_gives_the_counts_an_independent_query_gives()
    {
        var factory = _database.Factory;
        var runner = new CheckRunner(factory, Options.Create(new CheckOptions()), TimeProvider.System, new TestOutputLogger<CheckRunner>(output));

        var watch = Stopwatch.StartNew();
        var first = await runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        var firstMs = watch.ElapsedMilliseconds;
        watch.Restart();
        var second = await runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        var secondMs = watch.ElapsedMilliseconds;
        // The limit: the same streaming read of the bindings joined to the workload arrays, with no rule and no writes.
        watch.Restart();
        await using (var db = _database.Create())
        {
            var store = CheckStore.For(db);
            var workloads = store.LoadWorkloads(CancellationToken.None);
            var (min, max) = store.BindingIdRange();
            var read = 0;
            store.ScanActiveBindings(DateTime.UtcNow, min, max, b =>
            {
                if (workloads.TryGet(b.WorkloadId, b.ModelId, b.Usage, out _))
                {
                    read++;
                }
            }, CancellationToken.None);
            Assert.Equal(first.BindingsEvaluated, read);
        }

        var rawMs = Math.Max(1, watch.ElapsedMilliseconds);
        output.WriteLine($"check over {first.BindingsEvaluated:N0} active bindings: first run {firstMs} ms ({first.FindingsOpened:N0} findings, {firstMs / (double)rawMs:F1}× the raw read), " +
            $"re-run {secondMs} ms ({secondMs / (double)rawMs:F1}×); raw read of the bindings with workload attributes {rawMs} ms");

        await using var connection = new SqliteConnection(_database.ConnectionString);
        connection.Open();
        long Sql(string sql)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            return (long)cmd.ExecuteScalar()!;
        }

        Assert.Equal(Sql("SELECT COUNT(*) FROM Bindings WHERE \"To\" IS NULL"), first.BindingsEvaluated);
        // The demo restriction: every Anthropic model, Defense (1) and Intelligence (2) customers, any level.
        Assert.Equal(
            Sql("""
                SELECT COUNT(*) FROM Bindings b JOIN Models m ON m.Id = b.ModelId JOIN Workloads w ON w.Id = b.WorkloadId
                JOIN Customers c ON c.Id = w.CustomerId
                WHERE b."To" IS NULL AND m.Provider = 'Anthropic' AND c.Sector IN (1, 2)
                """),
            Sql("SELECT COUNT(*) FROM Findings WHERE Rule = 1 AND Status = 0"));
        // Models with no approval that counts.
        Assert.Equal(
            Sql("""
                SELECT COUNT(*) FROM Bindings b WHERE b."To" IS NULL
                AND NOT EXISTS (SELECT 1 FROM Approvals a WHERE a.ModelId = b.ModelId AND a.Status IN (1, 4))
                """),
            Sql("SELECT COUNT(*) FROM Findings WHERE Rule = 3"));
        // Impact level above every approval of the model (the demo has one approval per model, no scopes).
        Assert.Equal(
            Sql("""
                SELECT COUNT(*) FROM Bindings b JOIN Workloads w ON w.Id = b.WorkloadId
                JOIN Approvals a ON a.ModelId = b.ModelId AND a.Status = 1
                WHERE b."To" IS NULL AND a.ValidUntil > datetime('now') AND w.ImpactLevel > a.MaxImpactLevel
                """),
            Sql("SELECT COUNT(*) FROM Findings WHERE Rule = 5"));
        Assert.Equal(Sql("SELECT COUNT(*) FROM Findings"), first.FindingsOpened);
        Assert.Equal(0, second.FindingsOpened);
        Assert.Equal(0, second.FindingsResolved);
        Assert.Equal(Sql("SELECT COUNT(*) FROM Findings"), Sql("SELECT COUNT(DISTINCT BindingId * 16 + Rule) FROM Findings"));
    }
}
