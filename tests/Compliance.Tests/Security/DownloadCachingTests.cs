using System.Net;
using Compliance.Data;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Attestations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Security;

/// <summary>Exports and downloads hold customer data: no cache (browser, proxy, shared) may keep them.</summary>
public sealed class DownloadCachingTests : IClassFixture<KestrelAppFactory>
{
    private readonly KestrelAppFactory _app;

    public DownloadCachingTests(KestrelAppFactory app) => _app = app;

    [Theory]
    [InlineData("/inventory/export/models.csv")]
    [InlineData("/inventory/export/workloads.csv")]
    [InlineData("/inventory/export/bindings.csv")]
    [InlineData("/inventory/export/inventory.cdx.json")]
    public async Task Every_export_is_sent_with_cache_control_no_store(string path)
    {
        using var officer = await BrowserSession.SignInAsync(_app, "officer");
        var response = await officer.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: Cache-Control is '{response.Headers.CacheControl}'");
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("json")]
    public async Task An_attestation_download_is_sent_with_cache_control_no_store(string format)
    {
        using var customer = await BrowserSession.SignInAsync(_app, "customer-acme");
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        var acme = await db.Customers.Where(c => c.Code == "acme").Select(c => c.Id).SingleAsync();
        var issued = await _app.Services.GetRequiredService<AttestationService>().IssueAsync(acme, "officer", null);

        var response = await customer.Client.GetAsync($"/attestations/{issued.Id}/{format}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control is '{response.Headers.CacheControl}'");
    }
}
