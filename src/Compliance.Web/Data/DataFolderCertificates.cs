using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Compliance.Web.Data;

/// <summary>
/// Self-signed certificates the app creates for itself in its data folder (never in the repository): written as a
/// password-protected PFX, the random password in a file beside it, both readable by the app's user only (0600).
/// A PFX without its password file (an older unprotected one) is replaced.
/// </summary>
public static class DataFolderCertificates
{
    /// <summary>The folder the app keeps its files in: beside the SQLite database, else <c>App_Data</c> under the content root.</summary>
    public static string For(DatabaseOptions database, string contentRoot)
    {
        var folder = database.Provider == DatabaseProvider.Sqlite
            ? SqliteFile.DataFolder(database.ConnectionString)
            : Path.Combine(contentRoot, "App_Data");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static X509Certificate2 LoadOrCreate(string path, string subject, X509KeyUsageFlags usage, TimeSpan renewBefore)
    {
        var passwordPath = path + ".password";
        if (File.Exists(path) && File.Exists(passwordPath))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(path, File.ReadAllText(passwordPath).Trim(), X509KeyStorageFlags.EphemeralKeySet);
            if (existing.NotAfter > DateTime.Now.Add(renewBefore))
            {
                return existing;
            }

            existing.Dispose();
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(2));
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Password first, then the PFX: a PFX without its password file is recreated next time.
        WritePrivate(passwordPath, System.Text.Encoding.UTF8.GetBytes(password));
        WritePrivate(path, created.Export(X509ContentType.Pfx, password));
        return X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static void WritePrivate(string path, byte[] bytes)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(bytes);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
