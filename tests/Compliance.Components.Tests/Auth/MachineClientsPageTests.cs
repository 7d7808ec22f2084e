using System.Security.Claims;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Components.Tests.Auth;

/// <summary>The machine clients page, signed in as an administrator: the secret is shown once, scopes are stored, revoking works.</summary>
public sealed class MachineClientsPageTests : ComponentTest
{
    private void SignInAsAdmin()
    {
        Context.Services.AddSingleton<ApiClientService>();
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("admin");
        auth.SetRoles(Roles.Administrator);  // SetRoles resets the claims: set them after
        auth.SetClaims(new Claim("sub", "admin"));
        auth.SetPolicies(Policies.Staff, Policies.Administrator);
    }

    private static void Submit(IRenderedComponent<MachineClients> page) => page.Find("form").Submit();

    [Fact]
    public async Task Creating_a_client_shows_its_secret_once_with_its_scopes_and_the_list_never_shows_it_again()
    {
        SignInAsAdmin();
        var page = Context.Render<MachineClients>();
        page.WaitForAssertion(() => Assert.Contains("No machine client yet.", page.Markup), TimeSpan.FromSeconds(10));

        await page.InvokeAsync(() => Submit(page));
        page.WaitForAssertion(() => Assert.Contains("Name the client", page.Markup), TimeSpan.FromSeconds(10));

        await page.InvokeAsync(() => page.Find("input:not([type=checkbox])").Change("Release gate"));
        await page.InvokeAsync(() => page.FindAll("input[type=checkbox]")[Array.IndexOf(ApiScopes.All, ApiScopes.Decide)].Change(true));
        await page.InvokeAsync(() => Submit(page));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("code.hash")), TimeSpan.FromSeconds(10));
        var secret = page.Find("code.hash").TextContent;

        Assert.Equal(43, secret.Length); // 256 bits, base64url
        await using (var db = Database.Create())
        {
            var stored = await db.ApiClients.SingleAsync();
            Assert.Equal(("read decide", "admin", (int?)null), (stored.Scopes, stored.CreatedBy, stored.CustomerId));
            Assert.DoesNotContain(secret, stored.SecretSha256);
        }

        var again = Context.Render<MachineClients>();
        again.WaitForAssertion(() => Assert.Contains("read, decide", again.Markup), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(secret, again.Markup);
        Assert.Contains("never", again.Markup);

        await again.InvokeAsync(() => again.FindAll("button").Single(b => b.TextContent.Trim() == "Revoke").Click());
        again.WaitForAssertion(() => Assert.Contains("revoked", again.Markup), TimeSpan.FromSeconds(10));
        await using var after = Database.Create();
        Assert.Equal("admin", (await after.ApiClients.SingleAsync()).RevokedBy);
    }
}
