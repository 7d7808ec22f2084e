using System.Security.Claims;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Auth;

/// <summary>Who each named policy lets in, for every role: the refusals are as deliberate as the grants.</summary>
public sealed class PolicyTests : IClassFixture<ComplianceAppFactory>
{
    private readonly ComplianceAppFactory _app;

    public PolicyTests(ComplianceAppFactory app) => _app = app;

    public static TheoryData<string, string, bool> Matrix()
    {
        // policy → roles it admits
        var admitted = new Dictionary<string, string[]>
        {
            [Policies.Staff] = [Roles.ComplianceOfficer, Roles.Administrator, Roles.Auditor],
            [Policies.Officer] = [Roles.ComplianceOfficer],
            [Policies.Administrator] = [Roles.Administrator],
            [Policies.ApprovalRequester] = [Roles.ComplianceOfficer, Roles.Administrator],
            [Policies.Customer] = [Roles.Customer],
            [Policies.AnyRole] = [Roles.ComplianceOfficer, Roles.Administrator, Roles.Auditor, Roles.Customer],
            [Policies.Api] = [Roles.ComplianceOfficer, Roles.Administrator, Roles.Auditor, Roles.Pipeline],
        };
        var data = new TheoryData<string, string, bool>();
        foreach (var (policy, roles) in admitted)
        {
            foreach (var role in Roles.All.Append(Roles.Pipeline).Append("none"))
            {
                data.Add(policy, role, roles.Contains(role));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_policy_admits_exactly_its_roles(string policy, string role, bool admitted)
    {
        var identity = new ClaimsIdentity("test", "name", "role");
        identity.AddClaim(new Claim("name", "someone"));
        if (role != "none")
        {
            identity.AddClaim(new Claim("role", role));
        }

        var authorization = _app.Services.GetRequiredService<IAuthorizationService>();
        var result = await authorization.AuthorizeAsync(new ClaimsPrincipal(identity), resource: null, policy);

        Assert.Equal(admitted, result.Succeeded);
    }

    public static TheoryData<string, string> CustomerMixes()
    {
        var data = new TheoryData<string, string>();
        foreach (var policy in new[] { Policies.Staff, Policies.Officer, Policies.Administrator, Policies.ApprovalRequester, Policies.Api, Policies.ApiWrite })
        {
            foreach (var role in new[] { Roles.ComplianceOfficer, Roles.Administrator, Roles.Auditor, Roles.Pipeline })
            {
                data.Add(policy, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CustomerMixes))]
    public async Task A_policy_that_reaches_every_organisation_refuses_a_principal_that_also_holds_the_customer_role(string policy, string otherRole)
    {
        var authorization = _app.Services.GetRequiredService<IAuthorizationService>();

        var result = await authorization.AuthorizeAsync(People.Customer("acme", otherRole), resource: null, policy);

        Assert.False(result.Succeeded);
        Assert.True((await authorization.AuthorizeAsync(People.Customer("acme", otherRole), resource: null, Policies.AnyRole)).Succeeded);
    }

    [Fact]
    public async Task The_fallback_policy_refuses_anonymous_users()
    {
        var options = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthorizationOptions>>().Value;
        Assert.NotNull(options.FallbackPolicy);
        var authorization = _app.Services.GetRequiredService<IAuthorizationService>();
        Assert.False((await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), null, options.FallbackPolicy!)).Succeeded);
    }

    [Fact]
    public void Provider_group_names_map_to_roles_through_configuration()
    {
        var settings = new OidcSettings
        {
            RoleMap = new(StringComparer.OrdinalIgnoreCase)
            {
                ["compliance-officers"] = Roles.ComplianceOfficer,
                ["/auditors"] = Roles.Auditor,
            },
        };
        var identity = new ClaimsIdentity("test", "name", "role");
        identity.AddClaim(new Claim("groups", "Compliance-Officers"));
        identity.AddClaim(new Claim("groups", "everyone"));
        identity.AddClaim(new Claim("role", "/auditors"));
        var principal = new ClaimsPrincipal(identity);

        RoleMapping.Apply(principal, settings);

        Assert.True(principal.IsInRole(Roles.ComplianceOfficer));
        Assert.True(principal.IsInRole(Roles.Auditor));
        Assert.False(principal.IsInRole(Roles.Administrator));
        Assert.Equal(2, principal.FindAll("role").Count(c => Roles.All.Contains(c.Value)));
    }
}
