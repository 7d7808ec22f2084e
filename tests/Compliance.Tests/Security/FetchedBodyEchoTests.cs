using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Approvals;
using Compliance.Web.Jobs.Outbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Tests.Security;

/// <summary>
/// A source URL pointed at an internal document (allow-listed host, or a public one that answers with something
/// else): the sync fails, and its error, shown on the sources page and kept in the database, quotes nothing of it.
/// </summary>
public sealed class FetchedBodyEchoTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private LoopbackServer _server = default!;
    private ServiceProvider _services = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _server = await LoopbackServer.StartAsync();
        var services = new ServiceCollection().AddLogging();
        services.Configure<OutboundOptions>(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["Outbound:AllowedHosts:0"] = "127.0.0.1", ["Outbound:RequireHttps"] = "false" }).Build().GetSection("Outbound"));
        services.AddApprovalListHttpClient(o => o.Retry.Delay = TimeSpan.FromMilliseconds(10));
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData(ApprovalListFormat.Csv)]
    [InlineData(ApprovalListFormat.Json)]
    public async Task A_fetched_document_that_is_not_a_list_is_never_quoted_in_the_sync_error(ApprovalListFormat format)
    {
        int sourceId;
        await using (var db = _database.Create("admin"))
        {
            var source = new ApprovalListSource { Name = "internal", Format = format, Url = _server.BaseUrl + "/secret", CreatedBy = "admin" };
            db.ApprovalListSources.Add(source);
            await db.SaveChangesAsync();
            sourceId = source.Id;
        }

        var job = new ApprovalListSyncJob(_database.Factory, _services.GetRequiredService<IHttpClientFactory>(), new ApprovalEvents(), TimeProvider.System,
            NullLogger<ApprovalListSyncJob>.Instance);
        var sync = await job.SyncAsync(sourceId, CancellationToken.None);

        Assert.Equal(SyncStatus.Failed, sync.Status);
        Assert.NotNull(sync.Error);
        Assert.DoesNotContain("internal-secret", sync.Error);
        Assert.DoesNotContain("root:x", sync.Error);
    }
}
