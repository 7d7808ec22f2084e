using System.Security.Claims;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Compliance.Components.Tests.Features.Approvals;

/// <summary>The approvals pages rendered against the demo database, signed in as the administrator "admin".</summary>
public sealed class ApprovalsPageTests : ComponentTest
{
    private static readonly ClaimsPrincipal Admin = People.Admin;

    private void SignInAsAdmin() => SignInAs("admin");

    private void SignInAs(string administrator)
    {
        Context.Services.AddLogging();
        Context.Services.AddSingleton<IApprovalsChanged, ApprovalEvents>();
        Context.Services.AddSingleton<ApprovalService>();
        Context.Services.AddSingleton<RestrictionService>();
        Context.Services.AddSingleton<BlastRadiusService>();
        Context.Services.AddSingleton<ApprovalListSourceService>();
        Context.Services.AddSingleton<IApprovalListScheduler, InProcessApprovalListScheduler>();
        var auth = Context.AddAuthorization();
        auth.SetAuthorized(administrator);
        auth.SetRoles(Roles.Administrator);  // SetRoles resets the claims: set them after
        auth.SetClaims(new Claim("sub", administrator));
        auth.SetPolicies(Policies.Staff, Policies.Administrator, Policies.ApprovalRequester);
    }

    [Fact]
    public async Task The_pending_queue_disables_decisions_on_the_administrators_own_request()
    {
        SignInAsAdmin();
        var approvals = Context.Services.GetRequiredService<ApprovalService>();
        int modelId;
        await using (var db = Database.Create())
        {
            modelId = await db.Models.Where(m => m.HostModelId == "meta.llama3-8b-instruct-v1:0").Select(m => m.Id).SingleAsync();
        }

        var own = await approvals.RequestAsync(Admin, new ApprovalRequest(modelId, ImpactLevel.IL4, DataCategories.CUI, Usages.Inference, Sectors.None, [],
            DateTime.UtcNow.Date, null, null, "Pilot for the Defense logistics team."));
        Assert.True(own.Succeeded);

        var page = Context.Render<Compliance.Web.Features.Approvals.Approvals>();

        page.WaitForAssertion(() => Assert.Contains("Waiting for a decision (2)", page.Markup), TimeSpan.FromSeconds(10));
        var rows = page.FindAll("[aria-label='Requests waiting for a decision'] tbody tr");
        var ownRow = Assert.Single(rows, r => r.TextContent.Contains("Llama 3 8B Instruct"));
        var otherRow = Assert.Single(rows, r => r.TextContent.Contains("o3-mini"));
        Assert.All(ownRow.QuerySelectorAll("button"), b => Assert.True(b.HasAttribute("disabled")));
        Assert.All(otherRow.QuerySelectorAll("button"), b => Assert.False(b.HasAttribute("disabled")));
        page.WaitForAssertion(() => Assert.Contains("Request approval", page.Markup), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_restrictions_page_lists_the_demo_vendor_restriction_in_effect()
    {
        SignInAsAdmin();
        var page = Context.Render<Restrictions>();

        page.WaitForAssertion(() => Assert.Contains("Every Anthropic model", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains("In effect", page.Markup);
        Assert.Contains("Restrict a model or vendor", page.Markup);
        Assert.Contains(">Request lift<", page.Markup);
    }

    [Fact]
    public void An_approval_shows_its_history_with_who_and_why()
    {
        SignInAsAdmin();
        var page = Context.Render<ApprovalDetail>(p => p.Add(x => x.Id, 1));

        page.WaitForAssertion(() => Assert.Contains("History", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains("created as Approved", page.Markup);
    }

    [Fact]
    public async Task Revoking_an_approval_shows_what_it_would_touch_and_cancelling_changes_nothing()
    {
        SignInAsAdmin();
        int approvalId;
        await using (var db = Database.Create())
        {
            var used = await db.Bindings.Select(b => b.ModelId).Distinct().ToListAsync();
            approvalId = await db.Approvals.Where(a => a.Status == ApprovalStatus.Approved && used.Contains(a.ModelId) && a.SourceId == null)
                .OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        }

        var provider = Context.Render<MudDialogProvider>();
        var page = Context.Render<ApprovalDetail>(p => p.Add(x => x.Id, approvalId));
        page.WaitForAssertion(() => Assert.Contains(">Revoke<", page.Markup), TimeSpan.FromSeconds(10));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click());

        provider.WaitForAssertion(() => Assert.Matches(@"(\d+ binding\(s\) in\s+\d+ workload\(s\)|No binding that is compliant today would become non-compliant)",
            provider.Find("[data-testid=blast-radius]").TextContent), TimeSpan.FromSeconds(20));
        await provider.InvokeAsync(() => provider.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click());

        await using var check = Database.Create();
        Assert.Equal(ApprovalStatus.Approved, (await check.Approvals.SingleAsync(a => a.Id == approvalId)).Status);
    }

    [Fact]
    public async Task The_sources_page_shows_a_source_with_its_last_sync()
    {
        SignInAsAdmin();
        await using (var db = Database.Create("admin"))
        {
            db.ApprovalListSources.Add(new ApprovalListSource
            {
                Name = "Enterprise AI board", Url = "https://lists.example.gov/ai.json", CreatedBy = "admin",
                Review = SourceReview.Approved, RequestedBy = "admin", ReviewedBy = "admin2",
                LastSyncStatus = SyncStatus.Failed, LastSyncAt = DateTime.UtcNow, LastSyncError = "approval 'A-9' names model 'x', which is not in the inventory",
            });
            await db.SaveChangesAsync();
        }

        var page = Context.Render<Sources>();

        page.WaitForAssertion(() => Assert.Contains("Enterprise AI board", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains("approval 'A-9'", page.Markup);
        Assert.Contains("Sync now", page.Markup);
        Assert.Contains("Not synced yet.", page.Markup);
    }

    [Fact]
    public async Task An_administrator_restricts_a_vendor_for_the_defense_sector_with_a_deadline_in_one_dialog()
    {
        SignInAsAdmin();
        var provider = Context.Render<MudDialogProvider>();
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<RestrictionDialog>("Restrict a model or vendor"));
        provider.WaitForAssertion(() => Assert.Contains("A whole vendor", provider.Markup), TimeSpan.FromSeconds(10));

        // Vendor and Defense are the defaults' shape: pick the vendor, give the reason; the deadline defaults to 30 days.
        var vendor = provider.FindComponent<MudSelect<string>>();
        Assert.Contains("Choose a vendor or a model to see which bindings it would touch.", provider.Find("[data-testid=blast-radius]").TextContent);
        await provider.InvokeAsync(() => vendor.Instance.ValueChanged.InvokeAsync("Meta"));
        // Before pressing Restrict, the dialog says what it would touch (the service's figures are tested on their own).
        provider.WaitForAssertion(() => Assert.Matches(@"\d+ binding\(s\) in\s+\d+ workload\(s\) of\s+\d+ customer\(s\) would become non-compliant",
            provider.Find("[data-testid=blast-radius]").TextContent), TimeSpan.FromSeconds(20));
        await provider.InvokeAsync(() => provider.Find("textarea").Change("Contracting office directive: move Defense workloads off this vendor."));
        await provider.InvokeAsync(() => provider.FindAll("button").Single(b => b.TextContent.Trim() == "Restrict").Click());

        Restriction? saved = null;
        await provider.WaitForAssertionAsync(async () =>
        {
            await using var check = Database.Create();
            saved = await check.Restrictions.SingleOrDefaultAsync(r => r.Provider == "Meta");
            Assert.NotNull(saved);
        }, TimeSpan.FromSeconds(10));
        Assert.Equal((Sectors.Defense, DateTime.UtcNow.Date.AddDays(30), "admin"), (saved!.Sectors, saved.TransitionDeadline, saved.CreatedBy));
        Assert.DoesNotContain("Contracting office directive", provider.Markup); // the dialog closed
    }

    [Fact]
    public async Task The_sources_page_lets_only_another_administrator_approve_a_requested_source_or_accept_a_revision()
    {
        SignInAs("admin2");
        int requestedId;
        await using (var db = Database.Create("admin"))
        {
            var requested = new ApprovalListSource { Name = "Requested list", Url = "https://lists.example.gov/new.json", CreatedBy = "admin", RequestedBy = "admin" };
            var approved = new ApprovalListSource
            {
                Name = "Board list", Url = "https://lists.example.gov/board.json", CreatedBy = "admin2", Review = SourceReview.Approved,
                RequestedBy = "admin2", ReviewedBy = "admin",
            };
            db.ApprovalListSources.AddRange(requested, approved);
            await db.SaveChangesAsync();
            db.ApprovalListRevisions.Add(new ApprovalListRevision
            {
                SourceId = approved.Id, CreatedAt = DateTime.UtcNow, ContentSha256 = new string('a', 64), Content = [1],
                Diff = """{"added":[{"kind":"approval","key":"A-1","summary":"meta.llama3-8b-instruct-v1:0 up to IL6"}],"changed":[],"removed":[]}""",
            });
            await db.SaveChangesAsync();
            requestedId = requested.Id;
        }

        var page = Context.Render<Sources>();

        page.WaitForAssertion(() => Assert.Contains("Waiting for approval", page.Markup), TimeSpan.FromSeconds(10));
        AngleSharp.Dom.IElement ApproveButton() => page.FindAll("[aria-label='Approval list sources'] tbody tr").Single(r => r.TextContent.Contains("Requested list"))
            .QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Approve");
        Assert.False(ApproveButton().HasAttribute("disabled"));
        Assert.DoesNotContain("Sync now", page.FindAll("[aria-label='Approval list sources'] tbody tr").Single(r => r.TextContent.Contains("Requested list")).TextContent);

        // admin2 sponsors the board list: its revision must be accepted by someone else.
        page.FindAll("a").Single(a => a.TextContent == "Board list").Click();
        page.WaitForAssertion(() => Assert.Contains("Revisions of Board list waiting for a second administrator", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains("up to IL6", page.Markup);
        Assert.True(page.FindAll("button").Single(b => b.TextContent.Trim() == "Accept").HasAttribute("disabled"));

        await page.InvokeAsync(() => ApproveButton().Click());
        await page.WaitForAssertionAsync(async () =>
        {
            await using var db = Database.Create();
            Assert.Equal((SourceReview.Approved, "admin2"), await db.ApprovalListSources.Where(s => s.Id == requestedId).Select(s => ValueTuple.Create(s.Review, s.ReviewedBy)).SingleAsync());
        }, TimeSpan.FromSeconds(10));
    }
}
