using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Signatures;

namespace Compliance.Web.Features.Attestations;

/// <summary>Configuration under <c>Attestations</c>.</summary>
public sealed class AttestationOptions
{
    public const string Section = "Attestations";

    /// <summary>Public address of the app, printed in the PDF and its QR code as <c>{BaseUrl}/verify/{code}</c>.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>Where the development certificate lives; default: the folder beside the SQLite database.</summary>
    public string? DataFolder { get; set; }

    public CertificateOptions Certificate { get; set; } = new();

    /// <summary>
    /// RFC 3161 time-stamping authority asked for a token on every signature (PAdES-B-T). Empty: no timestamp,
    /// and the PDF says its signing time is the server's own clock. When set and the authority fails, issuing fails.
    /// </summary>
    public string? TimestampUrl { get; set; }

    /// <summary>How long to wait for the time-stamping authority.</summary>
    public int TimestampTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// The responsible compliance officer (their subject, <c>sub</c>) the monthly attestation is issued in the name of.
    /// Required for the monthly job: a signed statement names a person, never "system".
    /// </summary>
    public string? Signatory { get; set; }

    /// <summary>Cron expression of the monthly attestation job (Hangfire).</summary>
    public string Schedule { get; set; } = "0 6 1 * *";

    /// <summary>The statement printed when the issuer gives none.</summary>
    public string DefaultStatement { get; set; } =
        "We attest that, as of the time stated, the workloads listed in this document are all of the customer's workloads that use AI "
        + "models, that the model bindings listed are all of the bindings in force, and that the compliance status of each was "
        + "determined against the approvals, restrictions and waivers in force at that time, as recorded in our compliance inventory.";

    public sealed class CertificateOptions
    {
        /// <summary>PFX file with the organisation's signing certificate and private key.</summary>
        public string? Path { get; set; }

        public string? Password { get; set; }
    }
}

/// <summary>The certificate attestations are signed with, and whether it is the self-signed development one.</summary>
public sealed class AttestationCertificate(X509Certificate2 certificate, bool isDevelopment, X509Certificate2Collection? chain = null) : IDisposable
{
    public const string DevelopmentSubject = "CN=AI Model Compliance Development Signing";
    public const string DevelopmentFile = "attestation-signing.dev.pfx";

    public X509Certificate2 Certificate { get; } = certificate;

    public bool IsDevelopment { get; } = isDevelopment;

    /// <summary>The issuing certificates that came with it in the PFX (intermediates, root), embedded in every signature.</summary>
    public X509Certificate2Collection Chain { get; } = chain ?? [];

    /// <summary>
    /// The configured PFX; otherwise (outside Production) the development certificate in
    /// <paramref name="dataFolder"/>, created on first use with a random password kept beside it (mode 600).
    /// </summary>
    public static AttestationCertificate Load(AttestationOptions options, string dataFolder, bool isProduction)
    {
        if (!string.IsNullOrWhiteSpace(options.Certificate.Path))
        {
            var path = options.Certificate.Path;
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Attestations:Certificate:Path names '{path}', which does not exist.");
            }

            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.Certificate.Password, X509KeyStorageFlags.EphemeralKeySet);
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"The attestation signing certificate '{path}' has no private key.");
            }

            return new AttestationCertificate(certificate, isDevelopment: false, IssuersIn(path, options.Certificate.Password, certificate));
        }

        if (isProduction)
        {
            throw new InvalidOperationException(ProductionWithoutCertificate);
        }

        return new AttestationCertificate(LoadOrCreateDevelopment(dataFolder), isDevelopment: true);
    }

    /// <summary>Every other certificate of the PFX: a verifier can then build the chain from the PDF alone.</summary>
    private static X509Certificate2Collection IssuersIn(string path, string? password, X509Certificate2 signing)
    {
        var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        var issuers = new X509Certificate2Collection();
        foreach (var c in all)
        {
            if (c.Thumbprint == signing.Thumbprint)
            {
                c.Dispose();
            }
            else
            {
                issuers.Add(c);
            }
        }

        return issuers;
    }

    public const string ProductionWithoutCertificate =
        "Attestations:Certificate:Path is empty. In Production attestations are signed with the organisation's certificate: "
        + "set Attestations:Certificate:Path to its PFX file and Attestations:Certificate:Password to its password.";

    private static X509Certificate2 LoadOrCreateDevelopment(string folder)
    {
        Directory.CreateDirectory(folder);
        var pfxPath = Path.Combine(folder, DevelopmentFile);
        var passwordPath = pfxPath + ".password";
        if (!File.Exists(pfxPath) || !File.Exists(passwordPath))
        {
            Create(pfxPath, passwordPath);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(pfxPath, File.ReadAllText(passwordPath).Trim(), X509KeyStorageFlags.EphemeralKeySet);
    }

    private static void Create(string pfxPath, string passwordPath)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest(DevelopmentSubject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var pfx = certificate.Export(X509ContentType.Pfx, password);

        // Password first, then the PFX: a PFX without its password file is recreated next time.
        WritePrivate(passwordPath, System.Text.Encoding.UTF8.GetBytes(password));
        WritePrivate(pfxPath, pfx);
    }

    private static void WritePrivate(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(bytes);
        }

        File.Move(temp, path, overwrite: true);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var c in Chain)
        {
            c.Dispose();
        }
    }
}

/// <summary>
/// Signs a rendered attestation (CMS, SHA-256, chain embedded; RFC 3161 timestamp when an authority is configured)
/// and saves it to bytes.
/// </summary>
public static class AttestationSigner
{
    /// <summary>The document language, stated in the catalog and the XMP metadata.</summary>
    public const string Language = "en-GB";

    public static async Task<SignedAttestation> SignAndSaveAsync(PdfDocument document, AttestationCertificate certificate,
        AttestationTimestamping? timestamping, string verificationCode, string issuer)
    {
        using var stream = new MemoryStream();
        // The structure tree is written by the patcher once PDFsharp has numbered the pages and the signature widget.
        var tree = PdfStructureTree.Of(document);
        var signer = new AttestationCmsSigner(certificate, timestamping)
        {
            // Read when called: PDFsharp sets the Producer while saving.
            ContentToSign = () => SignedPdfPatcher.Patch(stream, AttestationArchive.Xmp(document.Info, Language), tree),
        };
        var options = new DigitalSignatureOptions
        {
            Reason = $"Attestation {verificationCode} issued by {issuer}",
            Location = "AI Model Compliance",
            ContactInfo = issuer,
            AppName = AttestationPdf.Creator,
            PageIndex = 0,
            Rectangle = new XRect(0, 0, 0, 0),
        };
        DigitalSignatureHandler.ForDocument(document, signer, options);
        await document.SaveAsync(stream, closeStream: false);
        return new SignedAttestation(stream.ToArray(), signer.Timestamp);
    }
}

/// <summary>The signed PDF and, when an authority was asked, the timestamp it carries.</summary>
public sealed record SignedAttestation(byte[] Pdf, AttestationTimestamp? Timestamp);
