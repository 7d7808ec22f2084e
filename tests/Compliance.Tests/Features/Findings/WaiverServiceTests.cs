using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Features.Findings;

namespace Compliance.Tests.Features.Findings;

public abstract class WaiverServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : WaiverServiceTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : WaiverServiceTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private CheckRunner _runner = null!;
    private WaiverService _waivers = null!;

    private static ClaimsPrincipal User(string name, string role) => People.Person(name, role);

    private static readonly ClaimsPrincipal Officer = User("officer", Roles.ComplianceOfficer);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();

        var factory = _database.Factory;
        _runner = new CheckRunner(factory, Options.Create(new CheckOptions()), _clock, NullLogger<CheckRunner>.Instance);
        _waivers = new WaiverService(factory, _clock);
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private async Task<Finding> FindingAsync(FindingRule rule)
    {
        await using var db = _database.Create();
        return await db.Findings.AsNoTracking().OrderBy(f => f.Id).FirstAsync(f => f.Rule == rule);
    }

    private async Task<Finding> ReloadAsync(long id)
    {
        await using var db = _database.Create();
        return await db.Findings.AsNoTracking().SingleAsync(f => f.Id == id);
    }

    [Fact]
    public async Task Officer_waives_a_finding_at_once_and_the_check_keeps_it_waived()
    {
        var finding = await FindingAsync(FindingRule.Restricted);
        var expires = new[] { _clock.UtcNow.AddDays(20), await DeadlineOfAsync(finding) }.Min();
        var waiver = await _waivers.GrantAsync(Officer, finding.Id, "Move scheduled for next sprint.", expires, CancellationToken.None);

        Assert.Equal("officer", waiver.GrantedBy);
        Assert.Equal(FindingStatus.Waived, (await ReloadAsync(finding.Id)).Status);
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        Assert.Equal(FindingStatus.Waived, (await ReloadAsync(finding.Id)).Status);

        await using var db = _database.Create();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Entity == nameof(Waiver) && e.User == "officer" && e.Reason == "Move scheduled for next sprint."));
    }

    [Theory]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Customer)]
    public async Task Only_a_compliance_officer_may_waive(string role)
    {
        var finding = await FindingAsync(FindingRule.Unapproved);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            _waivers.GrantAsync(User("someone", role), finding.Id, "Because.", _clock.UtcNow.AddDays(5), CancellationToken.None));
        Assert.Equal(FindingStatus.Open, (await ReloadAsync(finding.Id)).Status);
    }

    private async Task<DateTime> DeadlineOfAsync(Finding finding)
    {
        await using var db = _database.Create();
        return await db.Restrictions.Where(r => r.Id == finding.RestrictionId).Select(r => r.TransitionDeadline).SingleAsync();
    }

    [Fact]
    public async Task A_waiver_cannot_outlast_the_deadline_of_the_restriction_behind_its_finding()
    {
        var finding = await FindingAsync(FindingRule.Restricted);
        var deadline = await DeadlineOfAsync(finding);

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            _waivers.GrantAsync(Officer, finding.Id, "Until the move.", deadline.AddDays(1), CancellationToken.None));

        Assert.Contains($"must be met by {deadline:yyyy-MM-dd}", error.Message);
        Assert.Equal(FindingStatus.Open, (await ReloadAsync(finding.Id)).Status);
        var waiver = await _waivers.GrantAsync(Officer, finding.Id, "Until the move.", deadline, CancellationToken.None);
        Assert.Equal(deadline, waiver.ExpiresAt);
    }

    [Fact]
    public async Task A_restricted_finding_past_its_transition_deadline_cannot_be_waived_at_all()
    {
        var finding = await FindingAsync(FindingRule.Restricted);
        await using (var db = _database.Create("admin"))
        {
            var restriction = await db.Restrictions.SingleAsync(r => r.Id == finding.RestrictionId);
            restriction.TransitionDeadline = _clock.UtcNow.AddDays(-1);
            await db.SaveChangesAsync();
        }

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            _waivers.GrantAsync(Officer, finding.Id, "One more week.", _clock.UtcNow.AddDays(7), CancellationToken.None));

        Assert.Contains("has passed: move the workload", error.Message);
    }

    [Fact]
    public async Task The_check_reopens_a_waived_finding_once_the_restrictions_deadline_passes_even_if_the_waiver_runs_longer()
    {
        var finding = await FindingAsync(FindingRule.Restricted);
        await _waivers.GrantAsync(Officer, finding.Id, "Until the move.", await DeadlineOfAsync(finding), CancellationToken.None);
        await using (var db = _database.Create("admin"))
        {
            // The deadline brought forward after the waiver was granted: the waiver now outlasts it.
            var restriction = await db.Restrictions.SingleAsync(r => r.Id == finding.RestrictionId);
            restriction.TransitionDeadline = _clock.UtcNow.AddDays(2);
            await db.SaveChangesAsync();
        }

        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        Assert.Equal(FindingStatus.Waived, (await ReloadAsync(finding.Id)).Status);

        _clock.Advance(TimeSpan.FromDays(3));
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        Assert.Equal(FindingStatus.Open, (await ReloadAsync(finding.Id)).Status);
    }

    [Fact]
    public async Task After_a_confirmed_deadline_extension_a_waiver_may_run_to_the_new_deadline()
    {
        var finding = await FindingAsync(FindingRule.Restricted);
        var deadline = await DeadlineOfAsync(finding);
        var restrictions = new Compliance.Web.Features.Approvals.RestrictionService(_database.Factory, new Compliance.Web.Features.Approvals.ApprovalEvents(), _clock);
        Assert.True((await restrictions.RequestDeadlineExtensionAsync(People.Admin, finding.RestrictionId!.Value, deadline.AddDays(20), "Accreditation slipped.")).Succeeded);
        await Assert.ThrowsAsync<ValidationException>(() => _waivers.GrantAsync(Officer, finding.Id, "Until the move.", deadline.AddDays(20), CancellationToken.None));

        Assert.True((await restrictions.ConfirmDeadlineExtensionAsync(People.Admin2, finding.RestrictionId.Value)).Succeeded);
        var waiver = await _waivers.GrantAsync(Officer, finding.Id, "Until the move.", deadline.AddDays(20), CancellationToken.None);

        Assert.Equal(deadline.AddDays(20), waiver.ExpiresAt);
    }

    [Fact]
    public async Task Waiver_lasts_at_most_one_year()
    {
        var finding = await FindingAsync(FindingRule.Unapproved);
        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            _waivers.GrantAsync(Officer, finding.Id, "Long review.", _clock.UtcNow.AddDays(366), CancellationToken.None));
        Assert.Contains("one year", error.Message);
        await _waivers.GrantAsync(Officer, finding.Id, "Long review.", _clock.UtcNow + WaiverService.MaxDuration, CancellationToken.None);
    }

    [Theory]
    [InlineData("", 5)]
    [InlineData("   ", 5)]
    [InlineData("Fine.", 0)]
    [InlineData("Fine.", -3)]
    public async Task Waiver_needs_a_justification_and_a_future_expiry(string justification, int days)
    {
        var finding = await FindingAsync(FindingRule.Unapproved);
        await Assert.ThrowsAsync<ValidationException>(() =>
            _waivers.GrantAsync(Officer, finding.Id, justification, _clock.UtcNow.AddDays(days), CancellationToken.None));
        await using var db = _database.Create();
        Assert.False(await db.Waivers.AnyAsync());
    }

    [Fact]
    public async Task Revoking_the_waiver_reopens_the_finding()
    {
        var finding = await FindingAsync(FindingRule.ApprovalExpired);
        var waiver = await _waivers.GrantAsync(Officer, finding.Id, "Renewal in signature.", _clock.UtcNow.AddDays(10), CancellationToken.None);

        _clock.Advance(TimeSpan.FromHours(1));
        await _waivers.RevokeAsync(Officer, waiver.Id, "Renewal refused.", CancellationToken.None);

        Assert.Equal(FindingStatus.Open, (await ReloadAsync(finding.Id)).Status);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        Assert.Equal(FindingStatus.Open, (await ReloadAsync(finding.Id)).Status);
    }
}
