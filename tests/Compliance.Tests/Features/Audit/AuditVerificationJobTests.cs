using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Audit;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Audit;

[Collection(HangfireStorageCollection.Name)]
public sealed class AuditVerificationJobTests
{
    private sealed class Host : ComplianceAppFactory
    {
        protected override Dictionary<string, string?> Settings => new(base.Settings)
        {
            ["Jobs:Enabled"] = "true",
            ["Audit:AnchorFile"] = "anchors/trail.jsonl",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(TestAuthentication.Use);
        }
    }

    [Fact]
    public async Task The_verification_job_runs_in_hangfire_and_its_result_is_in_the_health_details_for_staff_only()
    {
        using var host = new Host();
        using var anonymous = host.CreateClient();
        Assert.Equal("Healthy", await anonymous.GetStringAsync("/health")); // starts the host

        var jobId = host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<AuditVerifier>(v => v.RunScheduledAsync(CancellationToken.None));
        var storage = host.Services.GetRequiredService<JobStorage>();
        var watch = Stopwatch.StartNew();
        string? state = null;
        while (state != "Succeeded" && watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(200);
            using var connection = storage.GetConnection();
            state = connection.GetStateData(jobId)?.Name;
            Assert.NotEqual("Failed", state);
        }

        Assert.Equal("Succeeded", state);
        var db = host.Services.GetRequiredService<IDbContextFactory<Compliance.Data.ComplianceDb>>().CreateDbContext();
        await using (db)
        {
            var stored = await db.AuditVerifications.AsNoTracking().OrderByDescending(v => v.Id).FirstAsync();
            Assert.Equal(AuditVerifier.Actor, stored.RequestedBy);
            Assert.NotEqual(AuditVerificationStatus.Running, stored.Status);
            Assert.True(stored.EventsChecked > 0);
        }

        Assert.True(File.Exists(Path.Combine(host.Folder, "anchors", "trail.jsonl")), "the head is anchored in the configured file");

        var plain = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("Healthy", await plain.Content.ReadAsStringAsync());

        using var customer = host.CreateClient();
        customer.DefaultRequestHeaders.Add(TestAuthentication.UserHeader, "customer-acme");
        customer.DefaultRequestHeaders.Add(TestAuthentication.RoleHeader, "Customer");
        Assert.Equal("Healthy", await customer.GetStringAsync("/health"));

        using var auditor = host.CreateClient();
        auditor.DefaultRequestHeaders.Add(TestAuthentication.UserHeader, "auditor");
        auditor.DefaultRequestHeaders.Add(TestAuthentication.RoleHeader, "Auditor");
        using var details = JsonDocument.Parse(await auditor.GetStringAsync("/health"));
        var audit = details.RootElement.GetProperty("entries").GetProperty("audit-trail").GetProperty("data");
        Assert.True(audit.GetProperty("eventsChecked").GetInt64() > 0);
        Assert.Equal(64, audit.GetProperty("headHash").GetString()!.Length);
        Assert.True(audit.TryGetProperty("lastVerifiedAt", out _));
    }
}
