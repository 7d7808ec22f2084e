using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Tests.Security;

/// <summary>
/// A real HTTP server on 127.0.0.1 standing for what an SSRF reaches (an internal service, the metadata endpoint):
/// it counts every request that gets through. <c>/secret</c> answers a body; <c>/redirect</c> sends elsewhere.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private LoopbackServer(WebApplication app) => _app = app;

    public int Requests => Volatile.Read(ref _requests);

    public string BaseUrl { get; private set; } = "";

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref server._requests);
            return next(context);
        });
        app.MapGet("/secret", () => Results.Text("root:x:0:0:internal-secret", "text/csv"));
        app.MapPost("/hook", () => Results.Ok());
        app.MapGet("/redirect", () => Results.Redirect("http://169.254.169.254/latest/meta-data/"));
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
