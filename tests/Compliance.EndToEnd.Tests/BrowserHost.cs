using Compliance.Web.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Compliance.EndToEnd.Tests;

/// <summary>
/// One real app on Kestrel (a dynamic loopback port, its own database with demo data, the embedded
/// identity provider) and one headless Debian Chromium, shared by every browser test.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    private readonly App _app = new();
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public string Address { get; private set; } = "";

    /// <summary>The app's services, for arranging state a journey starts from (e.g. running a check now).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The repository root (where Compliance.sln is).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Compliance.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Compliance.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public async Task InitializeAsync()
    {
        _app.UseKestrel(0);
        _app.StartServer();
        Address = ServerAddress.Primary(_app.Services.GetRequiredService<IServer>());

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>A fresh browser context (no cookies) on the app, with generous timeouts for a cold app on 2 cores.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Address, ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    private sealed class App : WebApplicationFactory<Program>
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("compliance-e2e-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Compliance", $"Data Source={Path.Combine(_folder, "compliance.db")}");
            builder.UseSetting("DemoData:Enabled", "true");
            builder.UseSetting("Oidc:Authority", "");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserHost>
{
    public const string Name = "browser";
}
