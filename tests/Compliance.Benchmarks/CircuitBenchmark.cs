using System.Diagnostics;
using System.Text.RegularExpressions;
using Compliance.Domain;
using Compliance.Web.Features.Checks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Compliance.Benchmarks;

/// <summary>
/// DESIGN.md: 1,000 connected dashboard users, ≤ 500 KB each. The app runs in this process on Kestrel; an officer
/// signs in once through the real OpenID Connect flow, then N Chromium tabs each open the posture dashboard (one
/// Blazor circuit each). The server's memory rise divided by N is the cost of a circuit. The limit is Microsoft's
/// published figure for a minimal circuit (≈ 250 KB): a circuit cannot be measured without an app around it.
/// </summary>
public static class CircuitBenchmark
{
    private const double PublishedMinimalCircuitKb = 250;

    public static async Task RunAsync(int[] counts)
    {
        // The test host looks for the web project's folder; this console is not a test project, so name it.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Compliance.sln"))) root = root.Parent;
        var contentRoot = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Compliance.sln not found"), "src", "Compliance.Web");
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_COMPLIANCE_WEB", contentRoot);
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_Compliance_Web", contentRoot);
        await using var app = new App();
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1");

        // The dashboard as people see it after a few days: three checks, so the trend charts are drawn too.
        var runner = app.Services.GetRequiredService<CheckRunner>();
        for (var i = 0; i < 3; i++)
        {
            await runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--renderer-process-limit=8"],
        });
        var context = await browser.NewContextAsync(new() { BaseURL = address });
        context.SetDefaultTimeout(120_000);
        var login = await context.NewPageAsync();
        await login.GotoAsync("/");
        await login.WaitForURLAsync(new Regex("/connect/login"));
        await login.FillAsync("#username", "officer");
        await login.FillAsync("#password", "officer");
        await login.ClickAsync("button[type=submit]");
        await login.WaitForURLAsync(address + "/");
        await login.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var pages = new List<IPage> { login };
        foreach (var target in counts.Order())
        {
            var (managedBefore, residentBefore) = Snapshot();
            var opened = pages.Count;
            var watch = Stopwatch.StartNew();
            while (pages.Count < target)
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync("/");
                await page.Locator("h1").WaitForAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                pages.Add(page);
            }

            await Task.Delay(2000); // let every circuit finish its first render
            var (managedAfter, residentAfter) = Snapshot();
            var added = pages.Count - opened;
            var managedKb = (managedAfter - managedBefore) / 1024.0 / Math.Max(1, added);
            var residentKb = (residentAfter - residentBefore) / 1024.0 / Math.Max(1, added);
            Console.WriteLine($"  {pages.Count} circuits open ({added} opened in {watch.Elapsed.TotalSeconds:0} s): managed heap +{(managedAfter - managedBefore) / 1048576.0:0.0} MB, resident +{(residentAfter - residentBefore) / 1048576.0:0.0} MB");
            Measure.Report($"{pages.Count} dashboard circuits", "managed KB per circuit", managedKb, PublishedMinimalCircuitKb, "≤ 500 KB", managedKb <= 500);
            Measure.Report($"{pages.Count} dashboard circuits", "resident KB per circuit", residentKb, PublishedMinimalCircuitKb, "≤ 500 KB", residentKb <= 500);
            if (int.TryParse(Environment.GetEnvironmentVariable("CIRCUITS_HOLD_SECONDS"), out var hold))
            {
                Console.WriteLine($"HOLD pid {Environment.ProcessId} for {hold} s");
                await Task.Delay(hold * 1000);
            }
        }

        foreach (var page in pages)
        {
            await page.CloseAsync();
        }
    }

    private static (long Managed, long Resident) Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64);
    }

    // Any type of the web assembly names it; "Program" here would be this console's own.
    private sealed class App : WebApplicationFactory<Compliance.Web.Data.DatabaseOptions>
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("compliance-circuits-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Compliance", $"Data Source={Path.Combine(_folder, "compliance.db")}");
            builder.UseSetting("DemoData:Enabled", "true");
            builder.UseSetting("Oidc:Authority", "");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
