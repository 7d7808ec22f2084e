using Compliance.Domain;
using Compliance.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Components.Tests.Features.Audit;

public sealed class AuditTrailPageTests : ComponentTest
{
    private AuditVerifier Verifier()
    {
        var anchors = new AuditAnchorLog(Path.Combine(Database.Folder, "audit-anchors.jsonl"), null, null, NullLogger<AuditAnchorLog>.Instance);
        return new AuditVerifier(Database.Factory, anchors, TimeProvider.System, NullLogger<AuditVerifier>.Instance);
    }

    [Fact]
    public async Task The_page_says_the_trail_was_never_verified_then_verifying_stores_and_shows_an_intact_result()
    {
        await new CheckRunner(Database.Factory, Options.Create(new CheckOptions()), TimeProvider.System, NullLogger<CheckRunner>.Instance)
            .RunAsync(CheckTrigger.Manual, CancellationToken.None);
        Context.Services.AddSingleton(Verifier());
        Context.Services.AddSingleton(new Compliance.Web.Auth.AuditDriftLimiter(new Compliance.Web.Auth.RateLimitOptions()));

        RenderProviders();
        var page = Context.Render<AuditTrailPage>();
        page.WaitForAssertion(() => Assert.Contains("has not been verified yet", page.Markup), TimeSpan.FromSeconds(10));

        page.FindAll("button").Single(b => b.TextContent.Contains("Verify the trail")).Click();

        page.WaitForAssertion(() => Assert.Contains("every row matches the trail", page.Markup), TimeSpan.FromSeconds(60));
        await using var db = Database.Create();
        var stored = await db.AuditVerifications.SingleAsync();
        Assert.Equal((AuditVerificationStatus.Intact, "officer"), (stored.Status, stored.RequestedBy));
        Assert.Contains("intact", page.Markup);
        Assert.Contains($"head event {stored.HeadEventId}", page.Markup);
    }
}
