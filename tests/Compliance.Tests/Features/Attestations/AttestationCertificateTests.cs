using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Compliance.Web.Features.Attestations;
using UglyToad.PdfPig;

namespace Compliance.Tests.Features.Attestations;

public sealed class AttestationCertificateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("compliance-cert-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Production_without_a_configured_certificate_refuses_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AttestationCertificate.Load(new AttestationOptions(), _folder, isProduction: true));
        Assert.Contains("Attestations:Certificate:Path", error.Message);
        Assert.Empty(Directory.EnumerateFiles(_folder));
    }

    [Fact]
    public void The_development_certificate_is_created_once_and_reused()
    {
        using var first = AttestationCertificate.Load(new AttestationOptions(), _folder, isProduction: false);
        using var second = AttestationCertificate.Load(new AttestationOptions(), _folder, isProduction: false);

        Assert.True(first.IsDevelopment);
        Assert.Equal(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
        Assert.True(second.Certificate.HasPrivateKey);
    }

    [Fact]
    public async Task A_configured_organisation_certificate_signs_without_the_development_banner()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Example Compliance Firm Signing", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var generated = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, "org.pfx");
        File.WriteAllBytes(path, generated.Export(X509ContentType.Pfx, "org-secret"));
        var options = new AttestationOptions { Certificate = { Path = path, Password = "org-secret" } };

        using var certificate = AttestationCertificate.Load(options, _folder, isProduction: true);
        Assert.False(certificate.IsDevelopment);
        var snapshot = AttestationPdfTests.Synthetic(20);
        var bytes = (await AttestationSigner.SignAndSaveAsync(
            AttestationPdf.Render(snapshot, new string('b', 64), "https://example.test/verify/ABCD-EFGH-JK23", certificate.IsDevelopment),
            certificate, null, snapshot.VerificationCode, snapshot.Issuer)).Pdf;

        using var pdf = PdfDocument.Open(bytes);
        Assert.DoesNotContain("DEVELOPMENT", string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)));
        var file = Path.Combine(_folder, "org-signed.pdf");
        File.WriteAllBytes(file, bytes);
        var (_, output) = AttestationFixture.Run("pdfsig", file);
        Assert.Contains("Signature is Valid", output);
        Assert.Contains("Example Compliance Firm Signing", output);
    }

    [Fact]
    public void A_configured_path_that_does_not_exist_is_reported()
    {
        var options = new AttestationOptions { Certificate = { Path = Path.Combine(_folder, "missing.pfx") } };
        var error = Assert.Throws<InvalidOperationException>(() => AttestationCertificate.Load(options, _folder, isProduction: false));
        Assert.Contains("missing.pfx", error.Message);
    }
}
