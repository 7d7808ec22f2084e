using System.Net;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Compliance.Tests.Features.Notifications;

/// <summary>The webhooks page is for administrators only; every signed-in person has an email preferences page.</summary>
public sealed class NotificationPagesTests(NotificationPagesTests.Factory factory) : IClassFixture<NotificationPagesTests.Factory>
{
    public sealed class Factory : ComplianceAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(TestAuthentication.Use);
        }
    }

    [Theory]
    [InlineData(Roles.ComplianceOfficer)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Customer)]
    public async Task Only_administrators_open_the_webhooks_page(string role)
    {
        using var refused = TestAuthentication.ClientAs(factory, "someone", role);
        var response = await refused.GetAsync("/notifications/webhooks");
        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect or HttpStatusCode.Found,
            $"{role} got {(int)response.StatusCode}");
        Assert.DoesNotContain("Add a webhook", await response.Content.ReadAsStringAsync());

        using var admin = TestAuthentication.ClientAs(factory, "admin", Roles.Administrator);
        var page = await admin.GetStringAsync("/notifications/webhooks");
        Assert.Contains("Add a webhook", page);
    }

    [Fact]
    public async Task A_customer_administrator_mix_is_refused_the_webhooks_page()
    {
        using var client = TestAuthentication.ClientAs(factory, "mixed", Roles.Customer, Roles.Administrator);
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/notifications/webhooks")).StatusCode);
    }

    [Theory]
    [InlineData(Roles.ComplianceOfficer)]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Customer)]
    public async Task Every_signed_in_person_opens_their_email_preferences(string role)
    {
        using var client = TestAuthentication.ClientAs(factory, "someone-" + role, role);
        var response = await client.GetAsync("/notifications/preferences");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Email preferences", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_anonymous_visitor_is_not_shown_the_preferences()
    {
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/notifications/preferences")).StatusCode);
    }
}
