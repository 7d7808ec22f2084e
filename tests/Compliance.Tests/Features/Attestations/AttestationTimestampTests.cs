using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace Compliance.Tests.Features.Attestations;

/// <summary>PAdES-B-T: a real local time-stamping authority (openssl ts behind a loopback listener), real PDFs read back.</summary>
public sealed class AttestationTimestampTests(AttestationFixture fixture) : IClassFixture<AttestationFixture>, IDisposable
{
    private readonly LocalTimestampAuthority _tsa = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("compliance-pades-").FullName;

    public void Dispose()
    {
        _tsa.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<(byte[] Pdf, string Code)> IssueAsync(Action<AttestationOptions> configure)
    {
        var service = AttestationFixture.CreateService(fixture.Database, out var certificates, configure);
        using (certificates)
        {
            var row = await service.IssueAsync(fixture.GlobexId, "officer");
            var file = await service.GetFileAsync(row.Id, "pdf", CustomerScope.Unrestricted);
            return (file!.Content, row.VerificationCode);
        }
    }

    private static SignerInfo SignerOf(byte[] pdf) => AttestationSignatureReader.SignatureOf(pdf)!.SignerInfos[0];

    private static Rfc3161TimestampToken? TokenOf(SignerInfo signer)
    {
        foreach (var attribute in signer.UnsignedAttributes)
        {
            if (attribute.Oid.Value == "1.2.840.113549.1.9.16.2.14")
            {
                Assert.True(Rfc3161TimestampToken.TryDecode(attribute.Values[0].RawData, out var token, out _));
                return token;
            }
        }

        return null;
    }

    private static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join(" ", document.GetPage(1).GetWords().Select(w => w.Text));
    }

    [Fact]
    public async Task Signed_attestation_carries_a_timestamp_from_the_configured_authority()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        var (pdf, code) = await IssueAsync(o => o.TimestampUrl = _tsa.Url.ToString());

        var signer = SignerOf(pdf);
        var token = TokenOf(signer);
        Assert.NotNull(token);
        // The token covers this signature's value (message imprint) and is signed by the local authority.
        Assert.True(token.VerifySignatureForSignerInfo(signer, out var tsaCertificate));
        Assert.Contains(LocalTimestampAuthority.AuthorityName, tsaCertificate!.Subject);
        Assert.InRange(token.TokenInfo.Timestamp, before, DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Equal(1, _tsa.Requests);

        var (_, pdfsig) = AttestationFixture.Run("pdfsig", Write(pdf, "timestamped.pdf"));
        Assert.Contains("Signature is Valid", pdfsig);
        Assert.Contains("ETSI.CAdES.detached", pdfsig);
        Assert.Contains("certified by the time-stamping authority 127.0.0.1", Text(pdf));

        var facts = await fixture.Service.SignatureAsync(code);
        Assert.NotNull(facts?.Timestamp);
        Assert.Contains(LocalTimestampAuthority.AuthorityName, facts.Timestamp.Authority);
        Assert.Equal(token.TokenInfo.Timestamp.UtcDateTime, facts.Timestamp.Utc);
    }

    [Fact]
    public async Task Without_an_authority_the_pdf_says_its_signing_time_is_the_servers_own_clock()
    {
        var (pdf, code) = await IssueAsync(_ => { });

        Assert.Null(TokenOf(SignerOf(pdf)));
        Assert.Contains("signing time is this server's own clock", Text(pdf));
        Assert.Null((await fixture.Service.SignatureAsync(code))!.Timestamp);
        Assert.Equal(0, _tsa.Requests);
    }

    [Fact]
    public async Task An_authority_that_does_not_answer_stops_the_issue_with_a_clear_message()
    {
        var closed = new LocalTimestampAuthority();
        var url = closed.Url.ToString();
        closed.Dispose();

        var error = await Assert.ThrowsAsync<AttestationTimestampException>(() => IssueAsync(o => o.TimestampUrl = url));
        Assert.Contains("did not answer", error.Message);
        Assert.Contains(url, error.Message);
    }

    [Fact]
    public async Task The_signature_embeds_the_signing_certificates_chain_and_binds_the_certificate()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Example Firm Issuing CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Example Firm Attestation Signing", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(1), [1, 2, 3, 4]);
        using var leaf = issued.CopyWithPrivateKey(key);
        var pfx = Path.Combine(_folder, "org.pfx");
        File.WriteAllBytes(pfx, new X509Certificate2Collection { leaf, ca }.Export(X509ContentType.Pfx, "org-secret")!);

        var (pdf, code) = await IssueAsync(o => o.Certificate = new() { Path = pfx, Password = "org-secret" });

        var cms = AttestationSignatureReader.SignatureOf(pdf)!;
        Assert.Contains(cms.Certificates, c => c.Thumbprint == ca.Thumbprint);
        Assert.Contains(cms.Certificates, c => c.Thumbprint == leaf.Thumbprint);
        // ESS signing-certificate-v2: the signed attributes name the certificate by its SHA-256, so it cannot be swapped.
        var signed = cms.SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>()
            .Single(a => a.Oid.Value == "1.2.840.113549.1.9.16.2.47").Values[0].RawData;
        Assert.True(signed.AsSpan().IndexOf(SHA256.HashData(leaf.RawData)) >= 0);
        Assert.DoesNotContain(cms.SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>(), a => a.Oid.Value == "1.2.840.113549.1.9.5");

        var facts = await fixture.Service.SignatureAsync(code);
        Assert.NotNull(facts);
        Assert.False(facts.SelfSigned);
        Assert.Equal("Example Firm Issuing CA", facts.Issuer);
        Assert.Equal(2, facts.ChainLength);
        Assert.True(facts.ChainComplete);
    }

    private string Write(byte[] bytes, string name)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

/// <summary>The public <c>/verify</c> page, served by the real app host configured with a real local time-stamping authority.</summary>
public sealed class VerifyPageSignatureTests : IDisposable
{
    private readonly LocalTimestampAuthority _tsa = new();
    private readonly TimestampedApp _app;

    public VerifyPageSignatureTests() => _app = new TimestampedApp(_tsa.Url);

    public void Dispose()
    {
        _app.Dispose();
        _tsa.Dispose();
    }

    [Fact]
    public async Task The_verification_page_names_the_timestamp_authority_and_time_and_explains_the_certificate()
    {
        using var anonymous = _app.CreateClient();
        var db = _app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Compliance.Data.ComplianceDb>>();
        int customerId;
        await using (var context = await db.CreateDbContextAsync())
        {
            customerId = context.Customers.Where(c => c.Code == "acme").Select(c => c.Id).Single();
        }

        var issued = await _app.Services.GetRequiredService<AttestationService>().IssueAsync(customerId, "officer", null);
        var token = TokenTime(await _app.Services.GetRequiredService<AttestationService>().GetFileAsync(issued.Id, "pdf", CustomerScope.Unrestricted));

        // The page's words without its markup (scoped-CSS attributes sit on every element).
        var page = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(
            await anonymous.GetStringAsync($"/verify/{issued.VerificationCode}"), "<[^>]+>", ""));
        Assert.Contains($"certified by the time-stamping authority {LocalTimestampAuthority.AuthorityName} (an RFC 3161 timestamp", page);
        Assert.Contains(token.ToString("d MMMM yyyy, HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture), page);
        Assert.Contains("A self-signed certificate", page);
        Assert.Contains("Revocation is not checked on this page.", page);
    }

    private static DateTime TokenTime(AttestationFile? file) =>
        AttestationSignatureReader.Read(file!.Content, DateTime.UtcNow)!.Timestamp!.Utc;

    private sealed class TimestampedApp(Uri tsa) : Compliance.Tests.Infrastructure.ComplianceAppFactory
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Attestations:TimestampUrl"] = tsa.ToString();
                return settings;
            }
        }
    }
}

public sealed class TimestampSettingTests
{
    [Theory]
    [InlineData("tsa.example.test/tsr")]
    [InlineData("ftp://tsa.example.test/")]
    public void A_timestamp_url_that_is_not_an_http_address_is_refused_with_the_setting_named(string url)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AttestationTimestamping.AuthorityOf(url));
        Assert.Contains("Attestations:TimestampUrl", error.Message);
    }

    [Fact]
    public void No_timestamp_url_means_no_authority()
    {
        Assert.Null(AttestationTimestamping.AuthorityOf(" "));
        Assert.Null(AttestationTimestamping.From(new AttestationOptions()));
    }
}
