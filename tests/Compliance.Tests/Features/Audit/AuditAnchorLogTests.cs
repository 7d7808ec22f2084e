using System.Text.Json;
using Compliance.Web.Features.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Tests.Features.Audit;

public sealed class AuditAnchorLogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("compliance-anchors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Each_anchor_is_appended_to_the_file_and_posted_to_the_webhook()
    {
        // A real receiver on loopback, as an operator's anchor service would be.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        var received = new List<string>();
        receiver.MapPost("/anchors", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            lock (received)
            {
                received.Add(body);
            }

            await http.Response.WriteAsync("ok");
        });
        await receiver.StartAsync();
        var address = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var services = new ServiceCollection();
        services.AddHttpClient(AuditAnchorLog.HttpClientName);
        await using var provider = services.BuildServiceProvider();
        var file = Path.Combine(_folder, "nested", "anchors.jsonl");
        var log = new AuditAnchorLog(file, new Uri(address.TrimEnd('/') + "/anchors"), provider.GetRequiredService<IHttpClientFactory>(),
            NullLogger<AuditAnchorLog>.Instance);

        await log.AppendAsync(new AuditAnchor(new DateTime(2026, 11, 29, 7, 0, 0, DateTimeKind.Utc), 41, new string('a', 64), "attestation ABC"));
        await log.AppendAsync(new AuditAnchor(new DateTime(2026, 11, 29, 8, 0, 0, DateTimeKind.Utc), 42, new string('b', 64), "verification 1"));

        var (anchors, unreadable) = await log.ReadAsync();
        Assert.Equal([41L, 42L], anchors.Select(a => a.EventId));
        Assert.Empty(unreadable);
        Assert.Equal(2, File.ReadAllLines(file).Length);
        Assert.Equal(2, received.Count);
        using var posted = JsonDocument.Parse(received[1]);
        Assert.Equal(42, posted.RootElement.GetProperty("eventId").GetInt64());
        Assert.Equal("verification 1", posted.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_unreachable_webhook_does_not_fail_the_anchor_and_the_file_still_gets_it()
    {
        var file = Path.Combine(_folder, "anchors.jsonl");
        var services = new ServiceCollection();
        services.AddHttpClient(AuditAnchorLog.HttpClientName);
        await using var provider = services.BuildServiceProvider();
        var log = new AuditAnchorLog(file, new Uri("http://127.0.0.1:9/anchors"), provider.GetRequiredService<IHttpClientFactory>(),
            NullLogger<AuditAnchorLog>.Instance);

        await log.AppendAsync(new AuditAnchor(DateTime.UtcNow, 7, new string('c', 64), "attestation XYZ"));

        Assert.Single((await log.ReadAsync()).Anchors);
    }
}
