using System.Security.Claims;
using Compliance.Web.Auth;
using Compliance.Web.Features.Notifications;
using Compliance.Web.Jobs.Outbound;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Compliance.Components.Tests.Features.Notifications;

/// <summary>The webhooks page, signed in as an administrator: the secret is shown once, field errors under their field.</summary>
public sealed class WebhooksPageTests : ComponentTest
{
    private void SignInAsAdmin()
    {
        Context.Services.AddLogging();
        Context.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        Context.Services.Configure<OutboundOptions>(o => o.RequireHttps = true);
        Context.Services.AddSingleton(Options.Create(new NotificationOptions()));
        Context.Services.AddHttpClient<WebhookDelivery>().AddOutboundGuard();
        Context.Services.AddSingleton<WebhookSecrets>();
        Context.Services.AddTransient<WebhookService>();
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("admin");
        auth.SetRoles(Roles.Administrator);  // SetRoles resets the claims: set them after
        auth.SetClaims(new Claim("sub", "admin"));
        auth.SetPolicies(Policies.Staff, Policies.Administrator);
    }

    [Fact]
    public async Task Adding_a_webhook_shows_its_secret_once_and_lists_it()
    {
        SignInAsAdmin();
        var page = Context.Render<Webhooks>();
        page.WaitForAssertion(() => Assert.Contains("No webhooks yet.", page.Markup), TimeSpan.FromSeconds(10));

        await page.InvokeAsync(() => page.FindAll("input")[0].Change("SOC"));
        await page.InvokeAsync(() => page.FindAll("input")[1].Change("http://hooks.example.gov/compliance"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Add webhook").Click());
        page.WaitForAssertion(() => Assert.Contains("URL: must start with https://", page.Markup), TimeSpan.FromSeconds(10));

        await page.InvokeAsync(() => page.FindAll("input")[1].Change("https://hooks.example.gov/compliance"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Add webhook").Click());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=webhook-secret]")), TimeSpan.FromSeconds(10));
        var secret = page.Find("[data-testid=webhook-secret]").TextContent;
        Assert.StartsWith("whsec_", secret);
        Assert.Contains("https://hooks.example.gov/compliance", page.Markup);
        Assert.Contains("Nothing delivered yet.", page.Markup);

        // Opened again, the page lists the webhook but never its secret.
        var again = Context.Render<Webhooks>();
        again.WaitForAssertion(() => Assert.Contains("Send test event", again.Markup), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(secret, again.Markup);
        await using var db = Database.Create();
        Assert.Equal("admin", (await db.Webhooks.SingleAsync()).CreatedBy);
    }
}
