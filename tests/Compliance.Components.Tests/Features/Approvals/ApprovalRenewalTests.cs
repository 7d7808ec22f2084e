using System.Security.Claims;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Compliance.Components.Tests.Features.Approvals;

/// <summary>Renewing an approval: the dialog pre-filled from the old one, sent as a new request that a second administrator decides.</summary>
public sealed class ApprovalRenewalTests : ComponentTest
{
    [Fact]
    public async Task The_renewal_dialog_is_pre_filled_from_the_old_approval_and_files_a_linked_request()
    {
        Context.Services.AddLogging();
        Context.Services.AddSingleton<IApprovalsChanged, ApprovalEvents>();
        Context.Services.AddSingleton<ApprovalService>();
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("admin");
        auth.SetRoles(Roles.Administrator);  // SetRoles resets the claims: set them after
        auth.SetClaims(new Claim("sub", "admin"));
        auth.SetPolicies(Policies.Staff, Policies.Administrator, Policies.ApprovalRequester);
        Approval old;
        await using (var db = Database.Create())
        {
            old = await db.Approvals.AsNoTracking().Where(a => a.Status == ApprovalStatus.Approved && a.SourceId == null && a.ValidUntil != null)
                .OrderBy(a => a.Id).FirstAsync();
        }

        var provider = Context.Render<MudDialogProvider>();
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<ApprovalDialog>($"Renew approval {old.Id}", new DialogParameters<ApprovalDialog> { { d => d.RenewalOf, old.Id } }));

        provider.WaitForAssertion(() => Assert.Contains($"Renewal of approval #{old.Id}, pre-filled from it", provider.Markup), TimeSpan.FromSeconds(10));
        Assert.True(provider.FindComponent<MudAutocomplete<ApprovalDialog.ModelOption>>().Instance.Disabled, "a renewal keeps the model");
        await provider.InvokeAsync(() => provider.FindAll("button").Single(b => b.TextContent.Trim() == "Request").Click());

        Approval? renewal = null;
        await provider.WaitForAssertionAsync(async () =>
        {
            await using var check = Database.Create();
            renewal = await check.Approvals.AsNoTracking().SingleOrDefaultAsync(a => a.RenewalOfId == old.Id);
            Assert.NotNull(renewal);
        }, TimeSpan.FromSeconds(10));
        var expectedFrom = old.ValidUntil!.Value > DateTime.UtcNow.Date ? old.ValidUntil.Value : DateTime.UtcNow.Date;
        Assert.Equal((ApprovalStatus.Requested, "admin", old.ModelId, old.MaxImpactLevel, old.DataCategories, old.Usages, expectedFrom),
            (renewal!.Status, renewal.RequestedBy, renewal.ModelId, renewal.MaxImpactLevel, renewal.DataCategories, renewal.Usages, renewal.ValidFrom));
        Assert.StartsWith($"Renewal of approval #{old.Id}", renewal.Justification);
        Assert.DoesNotContain("pre-filled from it", provider.Markup); // the dialog closed
    }
}
