using System.Net;
using System.Text;
using Compliance.Data;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Auth;

/// <summary>
/// "A Customer role always restricts to its customer, whatever other roles the principal holds": every route of the
/// app (pages, <c>/api/v1</c>, downloads, exports) is called as acme's customer who also holds a staff role, with every
/// id parameter and query filter pointed at globex, and no response may carry globex's data.
/// </summary>
public sealed class CustomerScopeSweepTests(CustomerScopeSweepTests.Factory factory) : IClassFixture<CustomerScopeSweepTests.Factory>
{
    /// <summary>The real app with the demo inventory; requests sign in through <see cref="TestAuthentication"/> headers.</summary>
    public sealed class Factory : ComplianceAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(TestAuthentication.Use);
        }
    }

    private sealed record Globex(int CustomerId, IReadOnlyList<int> Ids, IReadOnlyList<string> Markers, string AcmeCode, string AcmeWorkload);

    [Fact]
    public Task Customer_with_auditor_role_sees_no_other_customers_data_on_any_route() => SweepAsync(Roles.Auditor);

    [Fact]
    public Task Customer_with_compliance_officer_role_sees_no_other_customers_data_on_any_route() => SweepAsync(Roles.ComplianceOfficer);

    [Fact]
    public Task Customer_with_administrator_role_sees_no_other_customers_data_on_any_route() => SweepAsync(Roles.Administrator);

    [Fact]
    public Task Customer_with_pipeline_role_sees_no_other_customers_data_on_any_route() => SweepAsync(Roles.Pipeline);

    [Theory]
    [InlineData("/admin/machine-clients")]
    [InlineData("/admin/customer-clients")]
    public async Task The_sweep_covers_the_api_client_pages_and_a_customer_with_administrator_role_is_refused_there(string route)
    {
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsFramework(e)).Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/')).ToList();
        using var customerAdmin = Client(Roles.Customer, Roles.Administrator);
        using var admin = Client(Roles.Administrator);

        Assert.Contains(route, routes);
        Assert.Equal(HttpStatusCode.Forbidden, (await customerAdmin.GetAsync(route)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(route)).StatusCode);
    }

    [Fact]
    public async Task Customer_with_auditor_role_still_sees_its_own_workloads_and_attestations()
    {
        var globex = await GlobexAsync();
        using var client = Client(Roles.Customer, Roles.Auditor);

        var home = await client.GetAsync("/");
        var attestations = await client.GetAsync("/attestations");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(globex.AcmeWorkload), await home.Content.ReadAsStringAsync());
        Assert.Contains(globex.AcmeCode, await attestations.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_markers_would_be_caught_an_auditor_without_the_customer_role_reads_globex_through_the_api()
    {
        var globex = await GlobexAsync();
        using var client = Client(Roles.Auditor);

        var body = await client.GetStringAsync($"/api/v1/workloads?customer={globex.CustomerId}&limit=1000");

        Assert.Contains(globex.Markers, body.Contains);
    }

    private async Task SweepAsync(string staffRole)
    {
        var globex = await GlobexAsync();
        using var client = Client(Roles.Customer, staffRole);
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsFramework(e)).ToList();
        var leaks = new List<string>();
        var calls = 0;
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var method = methods.Contains("GET") ? "GET" : methods[0];
            foreach (var path in Paths(endpoint.RoutePattern, globex))
            {
                var url = $"{path}?customer={globex.CustomerId}&workload={globex.Ids[1]}&model=1&after=0&limit=1000";
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    // Aimed at globex: a binding on its workload, a move or end of its binding.
                    request.Content = new StringContent(
                        $$"""{"modelId":1,"workloadId":{{globex.Ids[1]}},"usage":"Inference","reason":"sweep"}""", Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request);
                calls++;
                var text = response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync();
                foreach (var marker in globex.Markers.Where(m => text.Contains(m, StringComparison.OrdinalIgnoreCase)
                    || text.Contains(WebUtility.HtmlEncode(m), StringComparison.OrdinalIgnoreCase)))
                {
                    leaks.Add($"{method} {url} → {(int)response.StatusCode}: '{marker}'");
                }
            }
        }

        Assert.True(calls > 60, $"Only {calls} calls: the sweep did not reach the app's routes.");
        Assert.True(leaks.Count == 0, $"Customer + {staffRole} saw globex's data:\n" + string.Join("\n", leaks.Distinct().Take(40)));
    }

    /// <summary>
    /// The route with each parameter filled: ints with each of globex's ids (customer, workloads, bindings, attestation),
    /// strings with acme's verification code (public <c>/verify</c>: the code is the secret its holder has) or <c>v1</c>.
    /// </summary>
    private static IEnumerable<string> Paths(RoutePattern pattern, Globex globex)
    {
        if (pattern.Parameters.Count == 0)
        {
            yield return "/" + (pattern.RawText ?? "").TrimStart('/');
            yield break;
        }

        var values = pattern.Parameters.Any(p => p.ParameterPolicies.Any(pp => pp.Content == "int") || p.Name.Equals("id", StringComparison.OrdinalIgnoreCase))
            ? globex.Ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList()
            : [pattern.RawText!.Contains("openapi", StringComparison.Ordinal) ? "v1" : globex.AcmeCode];
        foreach (var value in values)
        {
            var path = new StringBuilder();
            foreach (var segment in pattern.PathSegments)
            {
                path.Append('/');
                foreach (var part in segment.Parts)
                {
                    path.Append(part switch
                    {
                        RoutePatternLiteralPart literal => literal.Content,
                        RoutePatternSeparatorPart separator => separator.Content,
                        RoutePatternParameterPart => value,
                        _ => "",
                    });
                }
            }

            yield return path.ToString();
        }
    }

    private static bool IsFramework(RouteEndpoint endpoint)
    {
        var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
        return route.StartsWith("/_blazor", StringComparison.Ordinal) || route.StartsWith("/_framework", StringComparison.Ordinal)
            || endpoint.RoutePattern.Parameters.Any(p => p.IsCatchAll)
            || endpoint.Metadata.Any(m => m.GetType().FullName?.StartsWith("Microsoft.AspNetCore.StaticAssets", StringComparison.Ordinal) == true);
    }

    private HttpClient Client(params string[] roles) => TestAuthentication.ClientAs(factory, "acme-person", roles);

    /// <summary>Globex's ids and text only globex's rows hold: its name, e-mail, attestation code, and a workload of its own.</summary>
    private async Task<Globex> GlobexAsync()
    {
        using var _ = factory.CreateClient();
        var attestations = factory.Services.GetRequiredService<AttestationService>();
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        var globex = await db.Customers.SingleAsync(c => c.Code == "globex");
        var acmeId = await db.Customers.Where(c => c.Code == "acme").Select(c => c.Id).SingleAsync();
        var globexAttestation = (await attestations.ListAsync(CustomerScope.Unrestricted, globex.Id)).FirstOrDefault()
            ?? await attestations.IssueAsync(globex.Id, "officer", null);
        var acmeAttestation = (await attestations.ListAsync(CustomerScope.Unrestricted, acmeId)).FirstOrDefault()
            ?? await attestations.IssueAsync(acmeId, "officer", null);

        // The demo gives every customer the same workload names: add one only globex has, and one only acme has.
        const string globexOnly = "Zephyr Ledger Sentinel", acmeOnly = "Kestrel Intake Desk";
        if (!await db.Workloads.AnyAsync(w => w.Name == globexOnly))
        {
            db.As("sweep-setup");
            var model = await db.Models.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
            var mine = new Domain.Workload { CustomerId = globex.Id, Name = globexOnly, Owner = "Zephyr team", ImpactLevel = Domain.ImpactLevel.IL2 };
            db.Workloads.AddRange(mine, new Domain.Workload { CustomerId = acmeId, Name = acmeOnly, ImpactLevel = Domain.ImpactLevel.IL2 });
            await db.SaveChangesAsync();
            db.Bindings.Add(new Domain.Binding { ModelId = model, WorkloadId = mine.Id, Purpose = "Zephyr reconciliation", From = DateTime.UtcNow.AddDays(-1) });
            await db.SaveChangesAsync();
        }

        var workloads = await db.Workloads.Where(w => w.CustomerId == globex.Id).OrderByDescending(w => w.Name == globexOnly).ThenBy(w => w.Id)
            .Select(w => w.Id).Take(2).ToListAsync();
        var bindings = await db.Bindings.Where(b => b.Workload!.CustomerId == globex.Id).OrderBy(b => b.Id).Select(b => b.Id).Take(2).ToListAsync();
        var markers = new List<string> { globex.Name, globexAttestation.VerificationCode, globexOnly, "Zephyr reconciliation", "Zephyr team" };
        if (globex.ContactEmail is { Length: > 0 } email)
        {
            markers.Add(email);
        }

        return new Globex(globex.Id, [globex.Id, .. workloads, .. bindings, globexAttestation.Id], markers,
            acmeAttestation.VerificationCode, acmeOnly);
    }
}
