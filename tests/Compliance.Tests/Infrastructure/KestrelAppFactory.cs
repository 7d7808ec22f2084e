using Compliance.Web.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel at a dynamic loopback port: the OpenID Connect and bearer handlers fetch the
/// embedded provider's discovery document over real HTTP, as they do in production.
/// </summary>
public class KestrelAppFactory : ComplianceAppFactory
{
    public KestrelAppFactory() => UseKestrel(0);

    /// <summary>The address Kestrel bound; starts the app on first use.</summary>
    public Uri Address
    {
        get
        {
            StartServer();
            return new Uri(ServerAddress.Primary(Services.GetRequiredService<IServer>()));
        }
    }

    /// <summary>A plain HTTP client against the real server; redirects are not followed so tests can see them.</summary>
    public HttpClient CreateHttpClient(bool followRedirects = false) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true }) { BaseAddress = Address };
}
