using System.Net;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Approvals;
using Compliance.Web.Features.Notifications;
using Compliance.Web.Jobs.Outbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Compliance.Tests.Security;

/// <summary>
/// Server-side request forgery through the app's outbound requests: an approval-list source URL or a webhook that
/// points at loopback, the cloud metadata address or a private network is refused at connect time.
/// </summary>
public sealed class SsrfTests : IAsyncLifetime
{
    private LoopbackServer _server = default!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_approval_list_url_on_loopback_is_refused_before_any_request_reaches_it()
    {
        using var app = new GuardedApp(_server);
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ApprovalListSyncJob.HttpClientName);

        var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync(_server.BaseUrl + "/secret"));

        Assert.True(OutboundGuard.IsRefusal(error), error.ToString());
        Assert.Contains("loopback", error.Message);
        Assert.DoesNotContain("internal-secret", error.ToString());
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused_like_the_address()
    {
        using var app = new GuardedApp(_server);
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ApprovalListSyncJob.HttpClientName);
        var port = new Uri(_server.BaseUrl).Port;

        var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync($"http://localhost:{port}/secret"));

        Assert.True(OutboundGuard.IsRefusal(error), error.ToString());
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task A_webhook_on_loopback_is_refused_before_any_request_reaches_it()
    {
        using var app = new GuardedApp(_server);
        await using var scope = app.Services.CreateAsyncScope();
        var delivery = scope.ServiceProvider.GetRequiredService<WebhookDelivery>();

        var error = await Assert.ThrowsAnyAsync<WebhookDeliveryException>(() =>
            delivery.DeliverAsync(_server.BaseUrl + "/hook", "finding.critical.opened", "e1", "{}", CancellationToken.None));

        Assert.True(OutboundGuard.IsRefusal(error), error.ToString());
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public async Task An_allow_listed_internal_host_is_fetched()
    {
        using var app = new GuardedApp(_server, allowListed: true);
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ApprovalListSyncJob.HttpClientName);

        var response = await client.GetAsync(_server.BaseUrl + "/secret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _server.Requests);
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_host_to_the_metadata_address_is_not_followed()
    {
        using var app = new GuardedApp(_server, allowListed: true);
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ApprovalListSyncJob.HttpClientName);

        var response = await client.GetAsync(_server.BaseUrl + "/redirect");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, _server.Requests);
    }

    [Fact]
    public async Task Outside_development_plain_http_is_refused_even_when_configuration_allows_it()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Staging" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Outbound:AllowedHosts:0"] = "127.0.0.1",
            ["Outbound:RequireHttps"] = "false",
        });
        builder.AddOutboundRequests();
        builder.Services.AddApprovalListHttpClient(o => o.Retry.Delay = TimeSpan.FromMilliseconds(10));
        await using var services = builder.Services.BuildServiceProvider();
        Assert.True(services.GetRequiredService<IOptions<OutboundOptions>>().Value.RequireHttps);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(ApprovalListSyncJob.HttpClientName);

        var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync(_server.BaseUrl + "/secret"));

        Assert.Contains("only https://", error.Message);
        Assert.Equal(0, _server.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("169.254.169.254")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:7f00:1::")]
    public void Internal_addresses_in_every_form_are_forbidden(string address) =>
        Assert.True(OutboundGuard.IsForbidden(IPAddress.Parse(address)), address);

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.False(OutboundGuard.IsForbidden(IPAddress.Parse(address)), address);

    /// <summary>The real app host (Development, so plain http is allowed), with or without the test server allow-listed.</summary>
    private sealed class GuardedApp(LoopbackServer server, bool allowListed = false) : ComplianceAppFactory
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Notifications:Webhooks:0:Url"] = server.BaseUrl + "/hook";
                settings["Notifications:Webhooks:0:Secret"] = "webhook-secret";
                if (allowListed)
                {
                    settings["Outbound:AllowedHosts:0"] = "127.0.0.1";
                }

                return settings;
            }
        }
    }
}
