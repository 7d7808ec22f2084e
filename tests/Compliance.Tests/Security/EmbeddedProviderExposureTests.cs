using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth.Embedded;
using Microsoft.AspNetCore.Hosting;

namespace Compliance.Tests.Security;

/// <summary>
/// The embedded development provider signs anyone in as <c>admin/admin</c>: it must not appear on a Staging (or
/// any non-Development) server by accident, and the keys that sign its tokens are not left readable on disk.
/// </summary>
public sealed class EmbeddedProviderExposureTests
{
    [Fact]
    public void A_staging_host_without_an_authority_refuses_to_start_and_says_what_to_set()
    {
        using var app = new StagingApp(enableEmbedded: false);
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("Oidc:Authority is empty and the environment is Staging", messages);
        Assert.Contains("Oidc:EnableEmbeddedProvider", messages);
        Assert.Contains("docs/identity.md", messages);
    }

    [Fact]
    public async Task A_staging_host_runs_the_embedded_provider_only_when_enabled_explicitly()
    {
        using var app = new StagingApp(enableEmbedded: true);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public void The_providers_certificates_are_written_password_protected_with_the_password_readable_only_by_the_app()
    {
        using var app = new ComplianceAppFactory();
        using var _ = app.CreateClient();
        foreach (var file in new[] { DevelopmentCertificates.SigningFile, DevelopmentCertificates.EncryptionFile })
        {
            var pfx = Path.Combine(app.Folder, file);
            Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12FromFile(pfx, null, X509KeyStorageFlags.EphemeralKeySet));
            var passwordFile = pfx + ".password";
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(pfx, File.ReadAllText(passwordFile).Trim(), X509KeyStorageFlags.EphemeralKeySet);
            Assert.True(certificate.HasPrivateKey);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
            }
        }
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private sealed class StagingApp(bool enableEmbedded) : ComplianceAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Staging");
            builder.UseSetting("Oidc:Authority", "");
            builder.UseSetting("Oidc:EnableEmbeddedProvider", enableEmbedded ? "true" : "false");
        }
    }
}
