using System.Security.Cryptography.X509Certificates;
using Compliance.Web.Data;

namespace Compliance.Web.Auth.Embedded;

/// <summary>
/// The embedded provider's token signing and encryption certificates: self-signed, created on first run in the
/// data folder (never in the repository) as password-protected PFX files with their random passwords beside them
/// (0600), and reused afterwards so sessions survive a restart.
/// </summary>
public static class DevelopmentCertificates
{
    public const string SigningFile = "identity-signing.pfx";

    public const string EncryptionFile = "identity-encryption.pfx";

    public static X509Certificate2 Signing(string dataFolder) =>
        DataFolderCertificates.LoadOrCreate(Path.Combine(dataFolder, SigningFile), "CN=Compliance development token signing", X509KeyUsageFlags.DigitalSignature, TimeSpan.FromDays(7));

    public static X509Certificate2 Encryption(string dataFolder) =>
        DataFolderCertificates.LoadOrCreate(Path.Combine(dataFolder, EncryptionFile), "CN=Compliance development token encryption", X509KeyUsageFlags.KeyEncipherment, TimeSpan.FromDays(7));
}
