using System.Reflection;
using Compliance.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Auth;

/// <summary>Every page and every endpoint declares who may use it; only the few public ones are anonymous.</summary>
public sealed class AuthorizationCoverageTests : IClassFixture<ComplianceAppFactory>
{
    /// <summary>Routes that are anonymous on purpose.</summary>
    private static readonly string[] AnonymousRoutes =
    [
        "/health", "/verify", "/verify/{code}", "/verify/{Code}", "/not-found", "/status/{Code:int}", "/Error", "/openapi/{documentName}.json",
        "/account/login", "/account/logout",
        "/connect/login", "/connect/authorize", "/connect/token", "/connect/logout",
    ];

    private readonly ComplianceAppFactory _app;

    public AuthorizationCoverageTests(ComplianceAppFactory app) => _app = app;

    [Fact]
    public void Every_routable_page_declares_a_policy_or_is_a_known_anonymous_page()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && t.GetCustomAttributes<RouteAttribute>().Any())
            .ToList();
        Assert.NotEmpty(pages);

        var undeclared = pages
            .Where(t => t.GetCustomAttribute<AuthorizeAttribute>(inherit: true) is not { Policy.Length: > 0 }
                && !(t.GetCustomAttribute<AllowAnonymousAttribute>(inherit: true) is not null
                     && t.GetCustomAttributes<RouteAttribute>().All(r => AnonymousRoutes.Contains(r.Template))))
            .Select(t => $"{t.FullName} ({string.Join(", ", t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))})")
            .ToList();

        Assert.True(undeclared.Count == 0, "Pages without [Authorize(Policy = ...)]:\n" + string.Join("\n", undeclared));
    }

    [Theory]
    [InlineData(typeof(Compliance.Web.Auth.MachineClients), "/admin/machine-clients")]
    [InlineData(typeof(Compliance.Web.Features.Portal.CustomerApiClients), "/admin/customer-clients")]
    public void The_api_client_pages_are_for_administrators_only(Type page, string route)
    {
        Assert.Equal(route, Assert.Single(page.GetCustomAttributes<RouteAttribute>()).Template);
        Assert.Equal(Compliance.Web.Auth.Policies.Administrator, page.GetCustomAttribute<AuthorizeAttribute>()?.Policy);
    }

    [Fact]
    public void Every_endpoint_declares_a_policy_or_is_a_known_anonymous_endpoint()
    {
        var endpoints = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/api/v1/me");

        var undeclared = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (IsFramework(endpoint, route))
            {
                continue;
            }

            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Where(a => !string.IsNullOrEmpty(a.Policy)).ToList();
            var ok = anonymous ? AnonymousRoutes.Contains(route) : policies.Count > 0;
            if (!ok)
            {
                undeclared.Add($"{route} [{endpoint.DisplayName}] anonymous={anonymous}");
            }
        }

        Assert.True(undeclared.Count == 0, "Endpoints without a policy (or anonymous without being on the list):\n" + string.Join("\n", undeclared));
    }

    /// <summary>Static assets and Blazor's own plumbing (circuit hub, framework scripts) carry no policy of their own.</summary>
    private static bool IsFramework(RouteEndpoint endpoint, string route) =>
        route == "/{**path:file}" // the static-asset file fallback: matches file names only
        || route.StartsWith("/_blazor", StringComparison.Ordinal)
        || route.StartsWith("/_framework", StringComparison.Ordinal)
        || endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor")
        || (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null && endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is [ "GET" or "HEAD", ..]
            && endpoint.Metadata.Any(m => m.GetType().FullName?.StartsWith("Microsoft.AspNetCore.StaticAssets", StringComparison.Ordinal) == true));
}
