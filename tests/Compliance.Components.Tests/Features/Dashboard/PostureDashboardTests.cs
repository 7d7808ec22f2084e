using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Dashboard;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Components.Tests.Features.Dashboard;

/// <summary>The posture dashboard rendered on the demo database, signed in as the officer.</summary>
public sealed class PostureDashboardTests : ComponentTest
{
    private Task<CheckRun> RunCheckAsync() =>
        new CheckRunner(Database.Factory, Options.Create(new CheckOptions()), TimeProvider.System, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);

    [Fact]
    public async Task After_a_check_the_dashboard_shows_the_share_the_open_findings_and_the_restricted_vendors_workloads_with_links()
    {
        var run = await RunCheckAsync();
        Dictionary<Severity, int> open;
        int restrictionId, workloads;
        await using (var db = Database.Create())
        {
            open = await db.Findings.Where(f => f.Status == FindingStatus.Open).GroupBy(f => f.Severity)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count);
            restrictionId = await db.Restrictions.Where(r => r.Provider == "Anthropic").Select(r => r.Id).SingleAsync();
            workloads = await db.Findings.Where(f => f.RestrictionId == restrictionId && f.Status == FindingStatus.Open)
                .Select(f => f.Binding!.WorkloadId).Distinct().CountAsync();
        }

        var page = Context.Render<PostureDashboard>(p => p.Add(d => d.Scope, CustomerScope.Unrestricted));

        page.WaitForAssertion(() => page.Find("[data-testid=compliance-share]"), TimeSpan.FromSeconds(10));
        var share = (double)run.CompliantBindings / run.BindingsEvaluated;
        Assert.Equal(share.ToString("P1"), page.Find("[data-testid=compliance-share]").TextContent.Trim());
        Assert.Contains($"{run.CompliantBindings:N0} of {run.BindingsEvaluated:N0} active bindings", page.Markup);

        Assert.True(open.GetValueOrDefault(Severity.Critical) > 0);
        foreach (var severity in Enum.GetValues<Severity>())
        {
            var link = page.Find($"[data-testid=open-{severity}]");
            Assert.Equal($"/findings?severity={severity}&status=Open", link.GetAttribute("href"));
            Assert.Equal(open.GetValueOrDefault(severity).ToString("N0"), link.QuerySelector("strong")!.TextContent);
        }

        Assert.True(workloads > 0);
        var affected = page.Find($"[data-testid=affected-{restrictionId}]");
        Assert.Equal(workloads.ToString("N0"), affected.TextContent.Trim());
        Assert.Equal($"/findings?rule=Restricted&status=Open&restriction={restrictionId}", affected.GetAttribute("href"));
        var row = page.Find($"[data-testid=restriction-{restrictionId}]");
        Assert.Contains("Every Anthropic model", row.TextContent);
        Assert.Contains("days left", row.TextContent);
        Assert.NotNull(row.QuerySelector($"a[href='/restrictions/{restrictionId}']"));
        Assert.NotNull(page.Find("a[href='/approvals']"));
        Assert.Contains("The trend appears after two checks", page.Markup);
    }

    [Fact]
    public async Task The_trend_chart_appears_once_two_checks_have_run()
    {
        await RunCheckAsync();
        await RunCheckAsync();

        var page = Context.Render<PostureDashboard>(p => p.Add(d => d.Scope, CustomerScope.Unrestricted));

        page.WaitForAssertion(() => Assert.Contains("Open critical and high findings", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Equal(2, page.FindAll("figure.posture-chart svg").Count);
        // Each run is a point with its value as the tooltip; the legend names the lines.
        Assert.Equal(2, page.FindAll("figure.posture-chart svg[role=img]")[0].QuerySelectorAll("circle").Length);
        Assert.All(page.FindAll("figure.posture-chart circle"), c => Assert.NotNull(c.QuerySelector("title")));
        Assert.Equal(["Compliant %", "Critical", "High"], page.FindAll(".trend-legend li").Select(li => li.TextContent));
    }

    [Fact]
    public void A_customer_scope_gets_no_posture()
    {
        var page = Context.Render<PostureDashboard>(p => p.Add(d => d.Scope, CustomerScope.Nothing));

        Assert.Empty(page.FindAll(".posture"));
    }

    [Fact]
    public async Task Before_any_check_the_dashboard_says_so_and_the_officer_can_start_one()
    {
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("officer");
        auth.SetRoles(Roles.ComplianceOfficer);  // SetRoles resets the claims: set them after
        auth.SetClaims(new System.Security.Claims.Claim("sub", "officer"));
        auth.SetPolicies(Policies.Staff, Policies.Officer, Policies.ApprovalRequester);
        var page = Context.Render<PostureDashboard>(p => p.Add(d => d.Scope, CustomerScope.Unrestricted));

        page.WaitForAssertion(() => Assert.Equal("No check has run yet.", page.Find("[data-testid=no-check]").TextContent), TimeSpan.FromSeconds(10));
        page.FindAll("button").Single(b => b.TextContent.Contains("Run a check now")).Click();

        page.WaitForAssertion(() => Assert.Contains("A check will run in a few seconds", page.Markup));
        var storage = Context.Services.GetRequiredService<JobStorage>();
        Assert.Equal(1, storage.GetMonitoringApi().ScheduledCount());

        // The scheduled job's run (here run directly): the page notices it and shows its numbers.
        var run = await RunCheckAsync();
        page.WaitForAssertion(() => Assert.Equal(((double)run.CompliantBindings / run.BindingsEvaluated).ToString("P1"),
            page.Find("[data-testid=compliance-share]").TextContent.Trim()), TimeSpan.FromSeconds(15));
        Assert.DoesNotContain("A check will run in a few seconds", page.Markup);
    }

    [Fact]
    public void An_auditor_sees_the_empty_state_without_the_button()
    {
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("auditor");
        auth.SetRoles(Roles.Auditor);  // SetRoles resets the claims: set them after
        auth.SetClaims(new System.Security.Claims.Claim("sub", "auditor"));
        auth.SetPolicies(Policies.Staff);

        var page = Context.Render<PostureDashboard>(p => p.Add(d => d.Scope, CustomerScope.Unrestricted));

        page.WaitForAssertion(() => Assert.Contains("A compliance officer or administrator can start one.", page.Markup), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("Run a check now", page.Markup);
    }
}
