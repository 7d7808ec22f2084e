using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Compliance.Tests.Infrastructure;

/// <summary>
/// The built web app as a real child process (its own runtime, Kestrel on a free loopback port), configured through
/// environment variables as an operator would. Its output goes to the test's output and is kept, so a failure can say
/// what the process said. Killed with SIGKILL (no shutdown, no cleanup) by <see cref="KillAsync"/> and on dispose.
/// Each process runs in a folder of its own (links to the build output): its content root, so its <c>App_Data</c> (the
/// embedded identity provider's database and certificates on a server engine) is its own, as on separate machines.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ITestOutputHelper _output;

    private readonly string _folder;

    private AppProcess(string name, Uri address, Process process, string folder, ITestOutputHelper output) =>
        (Name, Address, Process, _folder, _output) = (name, address, process, folder, output);

    public string Name { get; }

    public Uri Address { get; }

    public Process Process { get; }

    /// <summary>Starts the app with the Development environment, jobs on, no demo data and no check-trigger delay, plus <paramref name="settings"/> (configuration keys with ':').</summary>
    public static AppProcess Start(string name, IReadOnlyDictionary<string, string> settings, ITestOutputHelper output)
    {
        var web = LinkedCopy(WebAppFolder(), name);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(web, "Compliance.Web.dll")])
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["DemoData__Enabled"] = "false";
        start.Environment["Jobs__Enabled"] = "true";
        start.Environment["Checks__TriggerDelaySeconds"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var app = new AppProcess(name, address, Process.Start(start)!, web, output);
        // Drained so a full pipe never blocks the child; warnings and errors (written to stdout) explain a failure.
        app.Process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        app.Process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        app.Process.BeginOutputReadLine();
        app.Process.BeginErrorReadLine();
        return app;
    }

    /// <summary>The last lines the process wrote, for a failure message.</summary>
    public string Tail(int lines = 40) =>
        $"--- last output of {Name} (pid {Process.Id}{(Process.HasExited ? $", exited {Process.ExitCode}" : "")}) ---{Environment.NewLine}" +
        string.Join(Environment.NewLine, _lines.TakeLast(lines));

    /// <summary>Waits for <c>/health</c> to answer 200; fails with the process's output if it exits or the time runs out.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            Assert.False(Process.HasExited, $"{Name} exited while starting.{Environment.NewLine}{Tail()}");
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{Name} did not answer /health within {timeout.TotalSeconds:0} s.{Environment.NewLine}{Tail()}");
    }

    /// <summary>SIGKILL: the process gets no chance to release anything.</summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        await Process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temporary-file cleanup.
        }
    }

    /// <summary>A new folder with a link to every file of the build output but its <c>App_Data</c>.</summary>
    private static string LinkedCopy(string web, string name)
    {
        var folder = Directory.CreateTempSubdirectory($"compliance-app-{name}-").FullName;
        foreach (var file in Directory.EnumerateFiles(web, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(web, file);
            if (relative.StartsWith("App_Data" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var link = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, file);
        }

        return folder;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        while (_lines.Count > 500 && _lines.TryDequeue(out _))
        {
        }

        try
        {
            _output.WriteLine($"[{Name}] {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished: its output is closed (the process is being killed).
        }
    }

    /// <summary>The web project's own build output, beside this test project's (same configuration).</summary>
    public static string WebAppFolder()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = here.Parent!.Name; // bin/{Configuration}/net10.0
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Compliance.sln")))
        {
            root = root.Parent;
        }

        var folder = Path.Combine(root!.FullName, "src", "Compliance.Web", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(folder, "Compliance.Web.dll")), $"Build the web project first: {folder}");
        return folder;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
