using System.Text;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Approvals;

/// <summary>Adding a source and "Sync now" through the in-process queue and its hosted worker, end to end.</summary>
public sealed class ApprovalListSourceServiceTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private ServiceProvider _services = default!;
    private InProcessApprovalListScheduler _scheduler = default!;
    private ApprovalListSourceService _sources = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _services = SourceServices.Build<InProcessApprovalListScheduler>(_database);
        _scheduler = _services.GetRequiredService<InProcessApprovalListScheduler>();
        await _scheduler.StartAsync(CancellationToken.None);
        _sources = _services.GetRequiredService<ApprovalListSourceService>();
    }

    public async Task DisposeAsync()
    {
        await _scheduler.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<List<ApprovalListSync>> WaitForSyncs(int sourceId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = _database.Create();
            var syncs = await db.ApprovalListSyncs.Where(s => s.SourceId == sourceId).OrderBy(s => s.Id).ToListAsync();
            if (syncs.Count >= count || DateTime.UtcNow > deadline)
            {
                return syncs;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_uploaded_list_syncs_in_the_background_once_a_second_administrator_approves_it_and_sync_now_runs_again()
    {
        var csv = "kind,key,provider,sectors,effective_from,transition_deadline,reason\nrestriction,R-1,Meta,Defense,2026-01-01,2026-02-01,Vendor review\n";
        var created = await _sources.CreateAsync(People.Admin, new ApprovalListSourceInput("Board CSV", ApprovalListFormat.Csv, null, Encoding.UTF8.GetBytes(csv), "0 6 * * *"));
        Assert.True(created.Succeeded, string.Join("; ", created.Errors));
        Assert.Equal("source", Assert.Single((await _sources.SyncNowAsync(People.Admin, created.Value!.Id)).Errors).Field);
        var approved = await _sources.DecideAsync(People.Admin2, created.Value.Id, Decision.Approve, null, created.Value.Version);
        Assert.True(approved.Succeeded, approved.Message);

        var first = Assert.Single(await WaitForSyncs(created.Value!.Id, 1));
        Assert.True(first.Status == SyncStatus.Succeeded, first.Error);
        Assert.True((await _sources.SyncNowAsync(People.Admin, created.Value.Id)).Succeeded);
        var syncs = await WaitForSyncs(created.Value.Id, 2);

        Assert.Equal([SyncStatus.Succeeded, SyncStatus.Unchanged], syncs.Select(s => s.Status));
        await using var db = _database.Create();
        var restriction = await db.Restrictions.SingleAsync(r => r.SourceId == created.Value.Id);
        Assert.Equal(("Meta", "source:Board CSV"), (restriction.Provider, restriction.CreatedBy));
    }

    [Fact]
    public async Task A_source_is_validated_and_only_administrators_manage_sources()
    {
        var bad = await _sources.CreateAsync(People.Admin, new ApprovalListSourceInput(" ", ApprovalListFormat.Json, "ftp://lists.example.gov/a.json", null, "every hour"));
        Assert.Equal(["name", "url", "schedule"], bad.Errors.Select(e => e.Field));
        var byOfficer = await _sources.CreateAsync(People.Officer, new ApprovalListSourceInput("X", ApprovalListFormat.Json, "https://lists.example.gov/a.json", null, "0 * * * *"));
        Assert.Equal("by", Assert.Single(byOfficer.Errors).Field);
        Assert.Equal("by", Assert.Single((await _sources.SyncNowAsync(People.Officer, 1)).Errors).Field);
        var tooBig = await _sources.CreateAsync(People.Admin, new ApprovalListSourceInput("Y", ApprovalListFormat.Json, null, new byte[ApprovalListSyncJob.MaxBytes + 1], "0 * * * *"));
        Assert.Equal("file", Assert.Single(tooBig.Errors).Field);
        await using var db = _database.Create();
        Assert.False(await db.ApprovalListSources.AnyAsync());
    }
}

public sealed class CronTests
{
    [Theory]
    [InlineData("0 * * * *", true)]
    [InlineData("*/15 6-18 * * MON-FRI", true)]
    [InlineData("0 6 1,15 jan,jul *", true)]
    [InlineData("30 0 6 * * *", false)] // seconds: a list is not polled by the second
    [InlineData("60 * * * *", false)]
    [InlineData("0 24 * * *", false)]
    [InlineData("0 * 0 * *", false)]
    [InlineData("0 * * * * * *", false)]
    [InlineData("every hour", false)]
    [InlineData("5-1 * * * *", true)] // Hangfire's parser reads a reversed range as wrapping around the hour
    [InlineData("*/0 * * * *", false)]
    [InlineData("", false)]
    public void Cron_expressions_are_checked_by_the_parser_Hangfire_uses(string cron, bool valid) =>
        Assert.Equal(valid, ApprovalListSourceService.IsCron(cron));
}
