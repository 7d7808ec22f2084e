using System.Security.Claims;
using Compliance.Data;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Auth;

/// <summary>Customer isolation in the data layer, over the demo inventory (acme: Defense, globex: Civilian).</summary>
public sealed class CustomerScopeTests : IClassFixture<ComplianceAppFactory>
{
    private readonly ComplianceAppFactory _app;

    public CustomerScopeTests(ComplianceAppFactory app) => _app = app;

    private CustomerScopes Scopes => _app.Services.GetRequiredService<CustomerScopes>();

    private async Task<ComplianceDb> DbAsync() =>
        await _app.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();

    [Fact]
    public async Task Acme_sees_its_own_workloads_and_none_of_globexs()
    {
        await using var db = await DbAsync();
        var acme = await db.Customers.SingleAsync(c => c.Code == "acme");
        var globex = await db.Customers.SingleAsync(c => c.Code == "globex");
        var scope = await Scopes.ForAsync(Customer("acme"));

        var visible = await db.Workloads.VisibleTo(scope).Select(w => w.CustomerId).ToListAsync();

        Assert.NotEmpty(visible);
        Assert.All(visible, id => Assert.Equal(acme.Id, id));
        Assert.Equal(await db.Workloads.CountAsync(w => w.CustomerId == acme.Id), visible.Count);
        Assert.True(await db.Workloads.AnyAsync(w => w.CustomerId == globex.Id));
    }

    [Fact]
    public async Task Acme_asking_for_a_globex_workload_or_binding_by_id_gets_nothing()
    {
        await using var db = await DbAsync();
        var globexWorkload = await db.Workloads.FirstAsync(w => w.Customer!.Code == "globex");
        var globexBinding = await db.Bindings.FirstAsync(b => b.Workload!.Customer!.Code == "globex");
        var acme = await Scopes.ForAsync(Customer("acme"));
        var globex = await Scopes.ForAsync(Customer("globex"));

        Assert.Null(await db.Workloads.VisibleTo(acme).FirstOrDefaultAsync(w => w.Id == globexWorkload.Id));
        Assert.Null(await db.Bindings.VisibleTo(acme).FirstOrDefaultAsync(b => b.Id == globexBinding.Id));
        Assert.NotNull(await db.Workloads.VisibleTo(globex).FirstOrDefaultAsync(w => w.Id == globexWorkload.Id));
        Assert.NotNull(await db.Bindings.VisibleTo(globex).FirstOrDefaultAsync(b => b.Id == globexBinding.Id));
        Assert.Equal("globex", (await db.Customers.VisibleTo(globex).SingleAsync()).Code);
        Assert.False(acme.CanSee(globexWorkload.CustomerId));
    }

    [Fact]
    public async Task Attestations_are_filtered_by_customer_too()
    {
        await using var db = await DbAsync();
        var acme = await Scopes.ForAsync(Customer("acme"));
        var sql = db.Attestations.VisibleTo(acme).ToQueryString();
        Assert.Contains("CustomerId", sql);
        Assert.Contains(acme.CustomerId!.Value.ToString(), sql);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-such-customer")]
    public async Task A_customer_without_a_valid_customer_claim_sees_nothing(string? code)
    {
        await using var db = await DbAsync();
        var scope = await Scopes.ForAsync(Customer(code));

        Assert.True(scope.SeesNothing);
        Assert.Empty(await db.Workloads.VisibleTo(scope).ToListAsync());
        Assert.Empty(await db.Bindings.VisibleTo(scope).ToListAsync());
        Assert.Empty(await db.Customers.VisibleTo(scope).ToListAsync());
    }

    [Fact]
    public async Task A_customer_with_two_customer_claims_sees_nothing()
    {
        var user = Customer("acme");
        ((ClaimsIdentity)user.Identity!).AddClaim(new Claim("customer_id", "globex"));
        Assert.True((await Scopes.ForAsync(user)).SeesNothing);
    }

    [Fact]
    public async Task The_customer_role_restricts_even_when_a_staff_role_is_added()
    {
        var user = Principal(Roles.Customer, "acme");
        ((ClaimsIdentity)user.Identity!).AddClaim(new Claim("role", Roles.Auditor));
        var scope = await Scopes.ForAsync(user);
        Assert.False(scope.IsUnrestricted);
        Assert.NotNull(scope.CustomerId);
    }

    [Theory]
    [InlineData(Roles.ComplianceOfficer)]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Pipeline)]
    public async Task Staff_and_the_pipeline_see_every_organisation(string role)
    {
        await using var db = await DbAsync();
        var scope = await Scopes.ForAsync(Principal(role, null));
        Assert.True(scope.IsUnrestricted);
        Assert.Equal(await db.Workloads.CountAsync(), await db.Workloads.VisibleTo(scope).CountAsync());
    }

    [Fact]
    public async Task Anonymous_and_role_less_principals_see_nothing()
    {
        Assert.True((await Scopes.ForAsync(new ClaimsPrincipal(new ClaimsIdentity()))).SeesNothing);
        Assert.True((await Scopes.ForAsync(Principal("Visitor", null))).SeesNothing);
    }

    private static ClaimsPrincipal Customer(string? code) => Principal(Roles.Customer, code);

    private static ClaimsPrincipal Principal(string role, string? customerCode)
    {
        var identity = new ClaimsIdentity("test", "name", "role");
        identity.AddClaim(new Claim("name", "someone"));
        identity.AddClaim(new Claim("role", role));
        if (customerCode is not null)
        {
            identity.AddClaim(new Claim("customer_id", customerCode));
        }

        return new ClaimsPrincipal(identity);
    }
}
