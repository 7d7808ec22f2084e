using System.Security.Cryptography.X509Certificates;
using Compliance.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Compliance.Web.Data;

/// <summary>
/// The Data Protection key ring (cookies, antiforgery, OpenID Connect state) is shared by every instance through the
/// database, and encrypted there with a certificate: a database backup alone cannot forge a session. Production takes
/// the certificate from <c>DataProtection:Certificate:Path</c> / <c>:Password</c> and refuses to start without it;
/// elsewhere a development certificate is created in the data folder (password-protected, see
/// <see cref="DataFolderCertificates"/>).
/// </summary>
public static class KeyRingProtection
{
    public const string ApplicationName = "ai-model-compliance";

    public const string DevelopmentFile = "dataprotection-keys.pfx";

    public static void AddKeyRing(this WebApplicationBuilder builder, DatabaseOptions database)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<ComplianceDb>();
        if (Load(builder.Configuration, builder.Environment, database) is { } certificate)
        {
            // Encrypts new keys, and decrypts keys with this certificate.
            dataProtection.ProtectKeysWithCertificate(certificate);
        }
        else
        {
            // Production without its certificate: the host does not start (checked at start, after the sign-in settings).
            builder.Services.AddOptions<KeyManagementOptions>().Validate(_ => false, MissingCertificate).ValidateOnStart();
        }
    }

    public const string MissingCertificate =
        "DataProtection:Certificate:Path is empty. In Production the Data Protection key ring (which signs session cookies) is " +
        "encrypted in the database with a certificate: set DataProtection:Certificate:Path to a PFX file with a private key and " +
        "DataProtection:Certificate:Password to its password (from a secret store); see docs/security.md.";

    private static X509Certificate2? Load(IConfiguration configuration, IHostEnvironment environment, DatabaseOptions database)
    {
        var section = configuration.GetSection("DataProtection:Certificate");
        if (section["Path"] is { Length: > 0 } path)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.GetFullPath(path, environment.ContentRootPath), section["Password"],
                X509KeyStorageFlags.EphemeralKeySet);
            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"DataProtection:Certificate:Path ({path}) has no private key; the key ring cannot be decrypted with it.");
        }

        if (environment.IsProduction())
        {
            return null;
        }

        return DataFolderCertificates.LoadOrCreate(Path.Combine(DataFolderCertificates.For(database, environment.ContentRootPath), DevelopmentFile),
            "CN=Compliance development key ring protection", X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, TimeSpan.Zero);
    }
}
