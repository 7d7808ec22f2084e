using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Domain;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Benchmarks;

/// <summary>
/// DESIGN.md: 1,000 connected dashboard users, ≤ 500 KB each. The app runs in this process on Kestrel; an officer
/// signs in once through the real OpenID Connect flow, then N documents each open the posture dashboard (one Blazor
/// circuit each). The server's memory rise divided by N is the cost of a circuit. The limit is Microsoft's published
/// figure for a minimal circuit (≈ 250 KB): a circuit cannot be measured without an app around it.
/// <para>
/// With <c>--frames-per-page=1</c> each circuit is a Chromium tab; with more, each tab is a host page holding that
/// many same-origin iframes of the dashboard (each iframe document starts its own circuit, and the frames share their
/// tab's renderer process and compositor), which is what lets 1,000 circuits fit in the machine's memory.
/// </para>
/// </summary>
public static class CircuitBenchmark
{
    private const double PublishedMinimalCircuitKb = 250;

    /// <summary>Frames added to a host page at once: enough to keep both cores busy, few enough not to queue for minutes.</summary>
    private const int FrameBatch = 25;

    /// <summary>No more circuits are opened once the machine has less than this available (the step is measured where it stopped).</summary>
    private const long MinAvailableBytes = 3L << 30;

    /// <summary>
    /// The host page: the app's health endpoint (anonymous, plain text) with its content replaced by an empty HTML page,
    /// so the frames it holds are same-origin and share its renderer process; the server serves nothing new for it.
    /// </summary>
    private const string HostPath = "/health";

    private const string HostPage = "<!DOCTYPE html><html lang=\"en\"><head><title>Dashboard circuits</title><link rel=\"icon\" href=\"data:,\"></head><body style=\"margin:0\"></body></html>";

    /// <summary>
    /// Runs in every document (tab or frame) before its scripts. A document's circuit counts once its WebSocket is open
    /// and the dashboard's h1 has been rendered by the circuit: Blazor replaces the prerendered markup (whose h1 is
    /// remembered when the page opens its first WebSocket) with the interactive render, so an h1 that is not the
    /// prerendered one was rendered live. A circuit on the long-polling fallback is not counted.
    /// </summary>
    private const string CircuitProbe = """
        (() => {
          const sockets = [], closes = [];
          let prerendered = null;
          const Native = window.WebSocket;
          window.WebSocket = class extends Native {
            constructor(url, protocols) {
              if (sockets.length === 0) prerendered = document.querySelector('h1');
              super(url, protocols);
              sockets.push(this);
              this.addEventListener('close', e => closes.push(`${e.code} ${e.reason}`));
            }
          };
          window.__benchCircuitUp = () => {
            const h1 = document.querySelector('h1');
            return h1 !== null && h1 !== prerendered && sockets.some(s => s.readyState === Native.OPEN);
          };
          window.__benchProbe = () => ({ sockets: sockets.map(s => `${s.readyState} ${s.url}`), closes, prerendered: prerendered !== null && document.querySelector('h1') === prerendered });
        })();
        """;

    // Each frame is as large as the tab's viewport, so MudBlazor's responsive drawer lays out as it does in a tab.
    private const string AddFrames = """
        ([n, width, height]) => {
          for (let i = 0; i < n; i++) {
            const frame = document.createElement('iframe');
            frame.src = '/';
            frame.width = String(width);
            frame.height = String(height);
            frame.style.cssText = 'display:block;border:0';
            document.body.appendChild(frame);
          }
        }
        """;

    private const string FramesUp = """
        n => {
          let up = 0;
          for (const frame of document.querySelectorAll('iframe')) {
            try {
              if (frame.contentWindow.__benchCircuitUp()) up++;
            } catch {
              // Not loaded yet, or blocked (then cross-origin): not up.
            }
          }
          return up >= n;
        }
        """;

    /// <summary>What each frame shows, printed when frames do not come up in time.</summary>
    private const string FrameStates = """
        () => [...document.querySelectorAll('iframe')].map((frame, i) => {
          try {
            const w = frame.contentWindow, d = frame.contentDocument;
            return `  frame ${i}: ${w.location.href} · h1 "${d.querySelector('h1')?.textContent ?? ''}" · ` +
              `circuit up ${w.__benchCircuitUp?.()} · ${JSON.stringify(w.__benchProbe?.())}`;
          } catch (e) {
            return `  frame ${i}: ${e}`;
          }
        }).join('\n')
        """;

    public static async Task RunAsync(int[] counts, int framesPerPage, int circuitsPerContext)
    {
        framesPerPage = Math.Max(1, framesPerPage);
        circuitsPerContext = Math.Max(1, circuitsPerContext);

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

        var contexts = new List<IBrowserContext>();
        async Task<IBrowserContext> NewContextAsync(string? storageState)
        {
            // Chromium's Local Network Access checks see a document handed back through DevTools (the frames' dashboards,
            // below) as coming from no address, and would block its WebSocket to 127.0.0.1 (Blazor then falls back to
            // long polling, which the probe does not count) unless the context is allowed local network access.
            var created = await browser.NewContextAsync(new() { BaseURL = address, StorageState = storageState, Permissions = ["local-network-access"] });
            created.SetDefaultTimeout(120_000);
            await created.AddInitScriptAsync(CircuitProbe);
            contexts.Add(created);
            return created;
        }

        var context = await NewContextAsync(null);
        var login = await context.NewPageAsync();
        await login.GotoAsync("/");
        await login.WaitForURLAsync(new Regex("/connect/login"));
        await login.FillAsync("#username", "officer");
        await login.FillAsync("#password", "officer");
        await login.ClickAsync("button[type=submit]");
        await login.WaitForURLAsync(address + "/");
        await login.Locator("h1").WaitForAsync();
        await login.WaitForFunctionAsync("() => window.__benchCircuitUp()", null, new() { PollingInterval = 100 });
        await login.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var signedIn = await context.StorageStateAsync();
        Console.WriteLine($"  circuits in {(framesPerPage == 1 ? "tabs" : $"iframes, {framesPerPage} per tab")}, at most {circuitsPerContext} per browser context");

        var pages = new List<IPage> { login };
        var circuits = 1;
        var contextCircuits = 1;
        IPage? host = null;
        var hostFrames = 0;
        var stopped = false;
        var (managedBefore, residentBefore, _) = await SettledSnapshotAsync();
        var browserBefore = BrowserMemory();
        foreach (var target in counts.Order())
        {
            var opened = circuits;
            var watch = Stopwatch.StartNew();
            while (circuits < target)
            {
                if (AvailableMemory() < MinAvailableBytes)
                {
                    Console.WriteLine($"  STOPPED at {circuits} circuits: {AvailableMemory() / 1073741824.0:0.0} GB available, under {MinAvailableBytes >> 30} GB");
                    stopped = true;
                    break;
                }

                // A precaution, not a limit met so far: Chromium's socket pools cap connections per profile, and each
                // browser context is a profile of its own. 300 WebSockets in one context worked (Chromium 156); the
                // 1,000-circuit run used the default, 200 per context.
                if (contextCircuits >= circuitsPerContext)
                {
                    context = await NewContextAsync(signedIn);
                    contextCircuits = 0;
                    host = null;
                }

                if (framesPerPage == 1)
                {
                    var page = await context.NewPageAsync();
                    await page.GotoAsync("/");
                    await page.Locator("h1").WaitForAsync();
                    await page.WaitForFunctionAsync("() => window.__benchCircuitUp()", null, new() { PollingInterval = 100 });
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                    pages.Add(page);
                    circuits++;
                    contextCircuits++;
                    continue;
                }

                if (host is null || hostFrames >= framesPerPage)
                {
                    host = await context.NewPageAsync();
                    await host.GotoAsync(HostPath);
                    await host.SetContentAsync(HostPage);
                    // The frames' errors and warnings (WebSocket refused, long-polling fallback); not the health page's favicon.
                    host.Console += (_, m) =>
                    {
                        if (m.Type is "error" or "warning" && !m.Location.Contains("/favicon.ico", StringComparison.Ordinal))
                        {
                            Console.WriteLine($"    browser {m.Type}: {m.Text} ({m.Location})");
                        }
                    };
                    await AllowFramingAsync(host, address + "/");
                    pages.Add(host);
                    hostFrames = 0;
                }

                var batch = Math.Min(Math.Min(FrameBatch, framesPerPage - hostFrames), Math.Min(target - circuits, circuitsPerContext - contextCircuits));
                await host.EvaluateAsync(AddFrames, new[] { batch, host.ViewportSize?.Width ?? 1280, host.ViewportSize?.Height ?? 720 });
                try
                {
                    await host.WaitForFunctionAsync(FramesUp, hostFrames + batch, new() { PollingInterval = 250 });
                }
                catch (TimeoutException)
                {
                    Console.WriteLine(await host.EvaluateAsync<string>(FrameStates));
                    throw;
                }

                foreach (var frame in host.MainFrame.ChildFrames)
                {
                    await frame.WaitForLoadStateAsync(LoadState.NetworkIdle);
                }

                hostFrames += batch;
                circuits += batch;
                contextCircuits += batch;
            }

            var opening = watch.Elapsed;
            var connected = await app.Circuits.WaitForAsync(circuits, TimeSpan.FromSeconds(30));

            var (managedAfter, residentAfter, settled) = await SettledSnapshotAsync();
            var browserAfter = BrowserMemory();
            var added = circuits - opened;
            var managedKb = (managedAfter - managedBefore) / 1024.0 / Math.Max(1, added);
            var residentKb = (residentAfter - residentBefore) / 1024.0 / Math.Max(1, added);
            Console.WriteLine($"  {circuits} circuits open ({added} opened in {opening.TotalSeconds:0} s, measured {settled.TotalSeconds:0} s after; server: {app.Circuits.Open} open, {connected} connected): " +
                $"managed heap +{(managedAfter - managedBefore) / 1048576.0:0.0} MB, resident +{(residentAfter - residentBefore) / 1048576.0:0.0} MB; " +
                $"browser PSS +{(browserAfter - browserBefore) / 1048576.0:0} MB ({(browserAfter - browserBefore) / 1048576.0 / Math.Max(1, added):0.0} MB per circuit, {browserAfter / 1073741824.0:0.0} GB in all); " +
                $"{AvailableMemory() / 1073741824.0:0.0} GB available; {ServerConnections(new Uri(address).Port)} TCP connections to the server; load average {Measure.Load()}");
            if (connected != circuits)
            {
                Console.WriteLine($"  WARNING: the server holds {connected} connected circuits, the browser {circuits}");
            }

            Measure.Report($"{circuits} dashboard circuits", "managed KB per circuit", managedKb, PublishedMinimalCircuitKb, "≤ 500 KB", managedKb <= 500);
            Measure.Report($"{circuits} dashboard circuits", "resident KB per circuit", residentKb, PublishedMinimalCircuitKb, "≤ 500 KB", residentKb <= 500);
            (managedBefore, residentBefore, browserBefore) = (managedAfter, residentAfter, browserAfter);
            if (int.TryParse(Environment.GetEnvironmentVariable("CIRCUITS_HOLD_SECONDS"), out var hold))
            {
                Console.WriteLine($"HOLD pid {Environment.ProcessId} for {hold} s");
                await Task.Delay(hold * 1000);
                (managedBefore, residentBefore) = Snapshot();
            }

            if (stopped) break;
        }

        foreach (var page in pages)
        {
            await page.CloseAsync();
        }

        foreach (var created in contexts)
        {
            await created.CloseAsync();
        }
    }

    /// <summary>
    /// The app forbids framing (Content-Security-Policy frame-ancestors 'none', X-Frame-Options DENY) and must keep
    /// doing so. Only inside this benchmark's browser, and only for the dashboard documents a host page's frames load,
    /// the two headers are rewritten to same-origin: DevTools' Fetch domain pauses each such response once the browser
    /// has received it, and the benchmark hands the browser's own response back with those two headers changed; the
    /// body, the rest of the policy and every other header stay as the server sent them, and the server sees the
    /// browser's own request (Playwright's route.FetchAsync would send it again from Playwright's driver instead).
    /// Fetch.continueResponse with new headers is not enough: Chromium enforces the policy of the original headers.
    /// </summary>
    private static async Task AllowFramingAsync(IPage host, string dashboardUrl)
    {
        var cdp = await host.Context.NewCDPSessionAsync(host);
        cdp.Event("Fetch.requestPaused").OnEvent += (_, paused) =>
        {
            if (paused is { } request) _ = ContinueWithFramingAsync(cdp, request);
        };
        await cdp.SendAsync("Fetch.enable", new()
        {
            ["patterns"] = new object[]
            {
                new Dictionary<string, object> { ["urlPattern"] = dashboardUrl, ["resourceType"] = "Document", ["requestStage"] = "Response" },
            },
        });
    }

    private static async Task ContinueWithFramingAsync(ICDPSession cdp, JsonElement paused)
    {
        var requestId = paused.GetProperty("requestId").GetString()!;
        try
        {
            var headers = paused.GetProperty("responseHeaders").EnumerateArray()
                .Select(h => (Name: h.GetProperty("name").GetString()!, Value: h.GetProperty("value").GetString()!))
                // The body is handed back whole and decoded.
                .Where(h => !new[] { "Content-Encoding", "Content-Length", "Transfer-Encoding" }.Contains(h.Name, StringComparer.OrdinalIgnoreCase))
                .Select(h => new Dictionary<string, object>
                {
                    ["name"] = h.Name,
                    ["value"] = h.Name.Equals("Content-Security-Policy", StringComparison.OrdinalIgnoreCase) ? FrameAncestorsPolicy.Replace(h.Value, "frame-ancestors 'self'")
                        : h.Name.Equals("X-Frame-Options", StringComparison.OrdinalIgnoreCase) ? "SAMEORIGIN"
                        : h.Value,
                })
                .ToArray();
            var body = (await cdp.SendAsync("Fetch.getResponseBody", new() { ["requestId"] = requestId }))!.Value;
            var text = body.GetProperty("body").GetString()!;
            await cdp.SendAsync("Fetch.fulfillRequest", new()
            {
                ["requestId"] = requestId,
                ["responseCode"] = paused.GetProperty("responseStatusCode").GetInt32(),
                ["responseHeaders"] = headers,
                ["body"] = body.GetProperty("base64Encoded").GetBoolean() ? text : Convert.ToBase64String(Encoding.UTF8.GetBytes(text)),
            });
        }
        catch (Exception e) when (e is PlaywrightException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            Console.WriteLine($"    could not let {paused.GetProperty("request").GetProperty("url")} be framed: {e.Message}");
        }
    }

    private static readonly Regex FrameAncestorsPolicy = new("frame-ancestors[^;]*");

    /// <summary>
    /// The server's memory once the heap has settled: at least 30 s after the last page opened (a few MB that the server
    /// frees 20–30 s after a burst of page loads would otherwise count as circuits, more so when frames open 25 at a time
    /// within seconds than when tabs open one by one), then until a full GC finds it no smaller by 1 MB, 90 s at most.
    /// </summary>
    private static async Task<(long Managed, long Resident, TimeSpan Settled)> SettledSnapshotAsync()
    {
        var (managed, resident) = Snapshot();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(5000);
            var before = managed;
            (managed, resident) = Snapshot();
            if (watch.Elapsed >= TimeSpan.FromSeconds(30) && before - managed < 1 << 20) break;
        }

        return (managed, resident, watch.Elapsed);
    }

    private static (long Managed, long Resident) Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64);
    }

    /// <summary>Established TCP connections whose local port is the server's (the server's side of each connection).</summary>
    private static int ServerConnections(int port)
    {
        var count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == "01" && Convert.ToInt32(fields[1][(fields[1].LastIndexOf(':') + 1)..], 16) == port) count++;
            }
        }

        return count;
    }

    /// <summary>MemAvailable of the machine, from /proc/meminfo (long.MaxValue where there is none).</summary>
    private static long AvailableMemory()
    {
        if (!File.Exists("/proc/meminfo")) return long.MaxValue;
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }
        }

        return long.MaxValue;
    }

    /// <summary>
    /// Proportional set size of this process's descendants (Playwright's driver and Chromium): what the browser side of
    /// the benchmark costs, for sizing runs; it is not part of any RESULT.
    /// </summary>
    private static long BrowserMemory()
    {
        if (!Directory.Exists("/proc")) return 0;
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
            }
            catch (IOException)
            {
            }
        }

        var total = 0L;
        foreach (var pid in parents.Keys)
        {
            var ancestor = parents[pid];
            while (ancestor > 1 && ancestor != Environment.ProcessId) ancestor = parents.GetValueOrDefault(ancestor);
            if (ancestor != Environment.ProcessId) continue;
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
                {
                    if (line.StartsWith("Pss:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return total;
    }

    /// <summary>Counts the server's circuits, to check that every document the browser holds has one.</summary>
    private sealed class CircuitCounter : CircuitHandler
    {
        private int _open;
        private int _connected;

        public int Open => Volatile.Read(ref _open);

        public int Connected => Volatile.Read(ref _connected);

        public async Task<int> WaitForAsync(int expected, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (Connected < expected && watch.Elapsed < timeout) await Task.Delay(250);
            return Connected;
        }

        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _open);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref _open);
            return Task.CompletedTask;
        }

        public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _connected);
            return Task.CompletedTask;
        }

        public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref _connected);
            return Task.CompletedTask;
        }
    }

    // Any type of the web assembly names it; "Program" here would be this console's own.
    private sealed class App : WebApplicationFactory<Compliance.Web.Data.DatabaseOptions>
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("compliance-circuits-").FullName;

        public CircuitCounter Circuits { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Compliance", $"Data Source={Path.Combine(_folder, "compliance.db")}");
            builder.UseSetting("DemoData:Enabled", "true");
            builder.UseSetting("Oidc:Authority", "");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureServices(services => services.AddSingleton<CircuitHandler>(Circuits));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
