using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Compliance.Tests.Infrastructure;

/// <summary>
/// The real app in the Production environment: an external authority (never contacted), its attestation and key ring
/// certificates, and requests signed in through <see cref="TestAuthentication"/> headers.
/// </summary>
public class ProductionAppFactory : ComplianceAppFactory
{
    public ProductionAppFactory()
    {
        WritePfx(Path.Combine(Folder, "attestation.pfx"), X509KeyUsageFlags.DigitalSignature);
        WritePfx(Path.Combine(Folder, "key-ring.pfx"), X509KeyUsageFlags.KeyEncipherment);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        builder.UseSetting("DemoData:Enabled", "true");
        builder.UseSetting("DemoData:Attestations", "false");
        builder.UseSetting("Oidc:Authority", "https://login.example/");
        builder.UseSetting("Attestations:Certificate:Path", Path.Combine(Folder, "attestation.pfx"));
        builder.UseSetting("Attestations:Certificate:Password", "password");
        builder.UseSetting("DataProtection:Certificate:Path", Path.Combine(Folder, "key-ring.pfx"));
        builder.UseSetting("DataProtection:Certificate:Password", "password");
        builder.ConfigureTestServices(TestAuthentication.Use);
    }

    private static void WritePfx(string path, X509KeyUsageFlags usage)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Production test " + Path.GetFileNameWithoutExtension(path), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "password"));
    }
}

/// <summary>The real app in Development (where the framework would show a stack trace), signed in through headers.</summary>
public class DevelopmentHeaderAuthAppFactory : ComplianceAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(TestAuthentication.Use);
    }
}
