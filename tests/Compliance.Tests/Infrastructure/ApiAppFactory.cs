using Compliance.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Infrastructure;

/// <summary>
/// The real app on the demo inventory with one check run done (so findings exist); callers sign in through
/// <see cref="TestAuthentication"/> headers, to test what each role may do on the API.
/// </summary>
public sealed class ApiAppFactory : ComplianceAppFactory, IAsyncLifetime
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(TestAuthentication.Use);
    }

    public HttpClient As(string user, params string[] roles) => TestAuthentication.ClientAs(this, user, roles);

    public async Task InitializeAsync()
    {
        _ = Server; // start the app: migrations and demo data
        await Services.GetRequiredService<CheckRunner>().RunAsync(CheckTrigger.Manual, CancellationToken.None);
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}
