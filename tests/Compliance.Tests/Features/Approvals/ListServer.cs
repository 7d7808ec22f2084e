using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Tests.Features.Approvals;

/// <summary>
/// A real HTTP server on loopback (Kestrel, port 0) publishing an approval list the way another team's
/// server would: an ETag from the content, 304 for a matching If-None-Match.
/// </summary>
internal sealed class ListServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile byte[] _content = [];
    private int _failuresToServe;

    public List<(string Path, string? IfNoneMatch, int Status)> Requests { get; } = [];

    public string BaseUrl { get; }

    private ListServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<ListServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ListServer? server = null;
        app.MapGet("/list", (HttpContext http) => server!.Serve(http));
        app.MapGet("/huge", async (HttpContext http) =>
        {
            // No Content-Length: the client must stop reading at its limit by itself.
            http.Response.ContentType = "application/json";
            var chunk = Encoding.UTF8.GetBytes(new string(' ', 64 * 1024));
            for (var i = 0; i < 6 * 16 + 1; i++)
            {
                await http.Response.Body.WriteAsync(chunk, http.RequestAborted);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new ListServer(app, address.TrimEnd('/'));
        return server;
    }

    public string ListUrl => BaseUrl + "/list";

    public string HugeUrl => BaseUrl + "/huge";

    public void Publish(string text) => _content = Encoding.UTF8.GetBytes(text);

    /// <summary>The next <paramref name="count"/> requests answer 503, as a server restarting would.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresToServe, count);

    private async Task Serve(HttpContext http)
    {
        var content = _content;
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
        var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
        int status;
        if (Interlocked.Decrement(ref _failuresToServe) >= 0)
        {
            status = (int)HttpStatusCode.ServiceUnavailable;
            http.Response.StatusCode = status;
        }
        else if (ifNoneMatch == etag)
        {
            status = StatusCodes.Status304NotModified;
            http.Response.StatusCode = status;
            http.Response.Headers.ETag = etag;
        }
        else
        {
            status = 200;
            http.Response.Headers.ETag = etag;
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(content);
        }

        lock (Requests)
        {
            Requests.Add((http.Request.Path, ifNoneMatch.Length == 0 ? null : ifNoneMatch, status));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
