using Compliance.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Compliance.Tests.Auth;

public sealed class ProductionStartupTests
{
    [Fact]
    public void Production_without_an_authority_refuses_to_start_and_says_what_to_set()
    {
        using var app = new ProductionApp();
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("Oidc:Authority is empty", messages);
        Assert.Contains("docs/identity.md", messages);
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private sealed class ProductionApp : ComplianceAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("Oidc:Authority", "");
        }
    }
}
