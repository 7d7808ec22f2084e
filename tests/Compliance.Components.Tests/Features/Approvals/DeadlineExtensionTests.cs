using System.Security.Claims;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Compliance.Components.Tests.Features.Approvals;

/// <summary>A restriction's deadline extension through the restrictions page: asked for with a reason, confirmed by another administrator.</summary>
public sealed class DeadlineExtensionTests : ComponentTest
{
    private void SignInAs(string administrator)
    {
        Context.Services.AddLogging();
        Context.Services.AddSingleton<IApprovalsChanged, ApprovalEvents>();
        Context.Services.AddSingleton<ApprovalService>();
        Context.Services.AddSingleton<RestrictionService>();
        Context.Services.AddSingleton<BlastRadiusService>();
        var auth = Context.AddAuthorization();
        auth.SetAuthorized(administrator);
        auth.SetRoles(Roles.Administrator);  // SetRoles resets the claims: set them after
        auth.SetClaims(new Claim("sub", administrator));
        auth.SetPolicies(Policies.Staff, Policies.Administrator, Policies.ApprovalRequester);
    }

    private async Task<Restriction> DemoRestrictionAsync()
    {
        await using var db = Database.Create();
        return await db.Restrictions.AsNoTracking().SingleAsync(r => r.Provider == "Anthropic");
    }

    [Fact]
    public async Task An_administrator_asks_for_a_later_deadline_with_a_reason_and_cannot_confirm_it_alone()
    {
        SignInAs("admin");
        var before = await DemoRestrictionAsync();
        var provider = Context.Render<MudDialogProvider>();
        var page = Context.Render<Restrictions>();
        page.WaitForAssertion(() => Assert.Contains(">Extend deadline<", page.Markup), TimeSpan.FromSeconds(10));

        await page.InvokeAsync(() => page.FindAll("button").First(b => b.TextContent.Trim() == "Extend deadline").Click());
        provider.WaitForAssertion(() => Assert.Contains($"The deadline is {before.TransitionDeadline:yyyy-MM-dd}", provider.Markup), TimeSpan.FromSeconds(10));
        // The dialog proposes 30 more days; the reason is required.
        await provider.InvokeAsync(() => provider.FindAll("button").Single(b => b.TextContent.Trim() == "Request extension").Click());
        provider.WaitForAssertion(() => Assert.Contains("Say why.", provider.Markup));
        await provider.InvokeAsync(() => provider.Find("textarea").Change("The replacement model's accreditation ends next month."));
        await provider.InvokeAsync(() => provider.FindAll("button").Single(b => b.TextContent.Trim() == "Request extension").Click());

        Restriction? after = null;
        await page.WaitForAssertionAsync(async () =>
        {
            after = await DemoRestrictionAsync();
            Assert.Equal("admin", after.DeadlineExtensionRequestedBy);
        }, TimeSpan.FromSeconds(10));
        Assert.Equal(before.TransitionDeadline.AddDays(30), after!.DeadlineExtensionTo);
        Assert.Equal(before.TransitionDeadline, after.TransitionDeadline); // not moved until confirmed
        Assert.Equal("The replacement model's accreditation ends next month.", after.DeadlineExtensionReason);

        page.WaitForAssertion(() => Assert.Contains("requested by admin", page.Markup), TimeSpan.FromSeconds(10));
        var confirm = page.FindAll("button").Single(b => b.TextContent.Trim() == "Confirm extension");
        Assert.True(confirm.HasAttribute("disabled"), "the requester cannot confirm their own extension");
    }

    [Fact]
    public async Task A_second_administrator_confirms_the_extension_and_the_deadline_moves()
    {
        SignInAs("admin2");
        var before = await DemoRestrictionAsync();
        var to = before.TransitionDeadline.AddDays(45);
        await using (var db = Database.Create("admin"))
        {
            var r = await db.Restrictions.SingleAsync(x => x.Id == before.Id);
            (r.DeadlineExtensionTo, r.DeadlineExtensionRequestedBy, r.DeadlineExtensionRequestedAt, r.DeadlineExtensionReason) =
                (to, "admin", DateTime.UtcNow, "Accreditation of the replacement");
            await db.SaveChangesAsync();
        }

        var page = Context.Render<Restrictions>();
        page.WaitForAssertion(() => Assert.Contains("requested by admin", page.Markup), TimeSpan.FromSeconds(10));
        var confirm = page.FindAll("button").Single(b => b.TextContent.Trim() == "Confirm extension");
        Assert.False(confirm.HasAttribute("disabled"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Confirm extension").Click());

        await page.WaitForAssertionAsync(async () => Assert.Equal(to, (await DemoRestrictionAsync()).TransitionDeadline), TimeSpan.FromSeconds(10));
        var after = await DemoRestrictionAsync();
        Assert.Null(after.DeadlineExtensionRequestedBy);
        await using var check = Database.Create();
        var ev = await check.AuditEvents.Where(e => e.Entity == nameof(Restriction)).OrderByDescending(e => e.Id).FirstAsync();
        Assert.Equal("admin2", ev.User);
        Assert.Contains("requested by admin", ev.Reason);
    }
}
