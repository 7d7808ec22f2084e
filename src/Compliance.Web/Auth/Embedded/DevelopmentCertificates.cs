using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Compliance.Web.Auth.Embedded;

/// <summary>
/// The embedded provider's token signing and encryption certificates: self-signed, created on first run
/// in the data folder (never in the repository) and reused afterwards so sessions survive a restart.
/// </summary>
public static class DevelopmentCertificates
{
    public static X509Certificate2 Signing(string dataFolder) =>
        LoadOrCreate(Path.Combine(dataFolder, "identity-signing.pfx"), "CN=Compliance development token signing", X509KeyUsageFlags.DigitalSignature);

    public static X509Certificate2 Encryption(string dataFolder) =>
        LoadOrCreate(Path.Combine(dataFolder, "identity-encryption.pfx"), "CN=Compliance development token encryption", X509KeyUsageFlags.KeyEncipherment);

    private static X509Certificate2 LoadOrCreate(string path, string subject, X509KeyUsageFlags usage)
    {
        if (File.Exists(path))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.EphemeralKeySet);
            if (existing.NotAfter > DateTime.Now.AddDays(7))
            {
                return existing;
            }
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(2));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, created.Export(X509ContentType.Pfx));
        File.Move(temporary, path, overwrite: true);
        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }
}
