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
        Assert.Contains("No daily posture recorded in this range yet", page.Find("[data-testid=no-daily-trend]").TextContent);
        Assert.Contains("run a check to record today's", page.Markup);
    }

    [Fact]
    public async Task The_daily_trend_charts_the_chosen_range_with_its_summary_in_words()
    {
        var today = DateTime.UtcNow.Date;
        await using (var db = Database.Create())
        {
            for (var ago = 0; ago < 120; ago++)
            {
                db.PostureDays.Add(new PostureDay
                {
                    Day = today.AddDays(-ago), CustomerId = PostureDay.AllCustomers, Bindings = 1000, Compliant = 900 - ago, NotCompliant = 100 + ago,
                    OpenCritical = ago, OpenHigh = 2 * ago, OverduePlans = ago % 3, ComputedAt = today.AddDays(-ago),
                });
            }

            await db.SaveChangesAsync();
        }

        var page = Context.Render<PostureDashboard>(p => p.Add(d => d.Scope, CustomerScope.Unrestricted));

        // 30 days by default: a point a day, each with its value as the tooltip; the legend names the lines.
        page.WaitForAssertion(() => page.Find("[data-testid=trend-summary]"), TimeSpan.FromSeconds(10));
        Assert.Equal(2, page.FindAll("figure.posture-chart svg[role=img]").Count);
        Assert.Equal(30, page.FindAll("figure.posture-chart svg[role=img]")[0].QuerySelectorAll("circle").Length);
        Assert.All(page.FindAll("figure.posture-chart circle"), c => Assert.NotNull(c.QuerySelector("title")));
        Assert.Equal(["Compliant %", "Critical", "High", "Overdue plans"], page.FindAll(".trend-legend li").Select(li => li.TextContent));
        Assert.Equal("true", page.Find("[data-testid=trend-30]").GetAttribute("aria-pressed"));
        var summary = page.Find("[data-testid=trend-summary]").TextContent;
        Assert.Contains($"From {today.AddDays(-29):yyyy-MM-dd} to {today:yyyy-MM-dd}: compliant bindings {0.871:P1} to {0.9:P1} ({900:N0} of {1000:N0})", summary);
        Assert.Contains("open critical findings 29 to 0", summary);

        await page.InvokeAsync(() => page.Find("[data-testid=trend-7]").Click());
        page.WaitForAssertion(() => Assert.Equal(7, page.FindAll("figure.posture-chart svg[role=img]")[0].QuerySelectorAll("circle").Length));
        Assert.Contains("Trend over the last 7 days", page.Markup);

        // A year: one point per week (120 recorded days span 18 to 19 weeks).
        await page.InvokeAsync(() => page.Find("[data-testid=trend-365]").Click());
        page.WaitForAssertion(() => Assert.Contains("One point per week", page.Find("[data-testid=trend-summary]").TextContent));
        Assert.InRange(page.FindAll("figure.posture-chart svg[role=img]")[0].QuerySelectorAll("circle").Length, 18, 19);
        Assert.Contains($"to {today:yyyy-MM-dd}", page.Find("[data-testid=trend-summary]").TextContent);
    }

    [Fact]
    public async Task A_customer_scope_charts_its_own_days_and_offers_no_other_customer()
    {
        var today = DateTime.UtcNow.Date;
        CustomerScope acme;
        await using (var db = Database.Create())
        {
            var customers = await db.Customers.Where(c => c.Code == "acme" || c.Code == "globex").ToListAsync();
            acme = CustomerScope.For(customers.Single(c => c.Code == "acme"));
            foreach (var c in customers)
            {
                for (var ago = 0; ago < 3; ago++)
                {
                    var bindings = c.Code == "acme" ? 4242 : 9292;
                    db.PostureDays.Add(new PostureDay { Day = today.AddDays(-ago), CustomerId = c.Id, Bindings = bindings, Compliant = bindings - 1, ComputedAt = today });
                }
            }

            await db.SaveChangesAsync();
        }

        var page = Context.Render<PostureTrendPanel>(p => p.Add(d => d.Scope, acme));

        page.WaitForAssertion(() => Assert.Contains($"({4241:N0} of {4242:N0})", page.Find("[data-testid=trend-summary]").TextContent), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(9292.ToString("N0"), page.Markup);
        Assert.Empty(page.FindAll("[data-testid=trend-customer]"));
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
