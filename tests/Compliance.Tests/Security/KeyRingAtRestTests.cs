using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Compliance.Data;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Security;

/// <summary>
/// The Data Protection key ring lives in the database, so a stolen backup holds it. Encrypted with a certificate
/// that is not in the database, it cannot sign an Administrator's session cookie.
/// </summary>
public sealed class KeyRingAtRestTests : IClassFixture<KestrelAppFactory>
{
    private const string CookiePurpose = "Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware";
    private readonly KestrelAppFactory _app;

    public KeyRingAtRestTests(KestrelAppFactory app) => _app = app;

    [Fact]
    public async Task A_key_row_in_the_database_holds_no_plaintext_key_material()
    {
        using var _ = await BrowserSession.SignInAsync(_app, "auditor");
        var keys = await StolenKeyRingAsync();

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }

    [Fact]
    public async Task A_cookie_forged_with_the_stolen_key_ring_but_without_the_certificate_is_refused()
    {
        using var admin = await BrowserSession.SignInAsync(_app, "admin");
        var folder = Directory.CreateTempSubdirectory("stolen-key-ring-");
        try
        {
            var keys = await StolenKeyRingAsync();
            for (var i = 0; i < keys.Count; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, $"key-{i}.xml"), keys[i]);
            }

            // The stolen ring cannot even read a real session cookie; with the certificate it can (so the attack is set up right).
            Assert.Null(CookieFormat(DataProtectionProvider.Create(folder, b => b.SetApplicationName(KeyRingProtection.ApplicationName)))
                .Unprotect(admin.AppCookieValue));
            using (var certificate = DevelopmentKeyRingCertificate())
            {
                Assert.NotNull(CookieFormat(DataProtectionProvider.Create(folder, b => b.SetApplicationName(KeyRingProtection.ApplicationName).UnprotectKeysWithAnyCertificate(certificate)))
                    .Unprotect(admin.AppCookieValue));
            }

            string? forged = null;
            try
            {
                forged = CookieFormat(DataProtectionProvider.Create(folder, b => b.SetApplicationName(KeyRingProtection.ApplicationName)))
                    .Protect(ForgedAdministratorTicket());
            }
            catch (CryptographicException)
            {
                // The key ring does not decrypt: no cookie.
            }

            using var client = _app.CreateHttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
            if (forged is not null)
            {
                request.Headers.Add("Cookie", $"__compliance={forged}");
            }

            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Production_without_a_key_ring_certificate_refuses_to_start_and_says_what_to_set()
    {
        using var app = new ProductionApp(withKeyRingCertificate: false);
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("DataProtection:Certificate:Path is empty", messages);
    }

    [Fact]
    public async Task Production_with_the_configured_certificate_encrypts_its_key_ring_with_it()
    {
        using var app = new ProductionApp(withKeyRingCertificate: true);
        using var client = app.CreateClient();
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        Assert.Equal("x", protector.Unprotect(protector.Protect("x")));

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        var xml = Assert.Single(await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        Assert.Contains("<encryptedSecret", xml);
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(app.KeyRingCertificatePath, "key-ring-password", X509KeyStorageFlags.EphemeralKeySet);
        Assert.Contains(Convert.ToBase64String(certificate.RawData), xml);
    }

    private async Task<List<string>> StolenKeyRingAsync()
    {
        // What a backup of the database gives an attacker: the rows as stored.
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }

    private X509Certificate2 DevelopmentKeyRingCertificate()
    {
        var path = Path.Combine(_app.Folder, KeyRingProtection.DevelopmentFile);
        return X509CertificateLoader.LoadPkcs12FromFile(path, File.ReadAllText(path + ".password").Trim(), X509KeyStorageFlags.EphemeralKeySet);
    }

    private static TicketDataFormat CookieFormat(IDataProtectionProvider provider) =>
        new(provider.CreateProtector(CookiePurpose, CookieAuthenticationDefaults.AuthenticationScheme, "v2"));

    private static AuthenticationTicket ForgedAdministratorTicket() =>
        new(new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim("sub", "admin"), new Claim("name", "admin"), new Claim("role", Roles.Administrator)],
                CookieAuthenticationDefaults.AuthenticationScheme, "name", "role")),
            new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) }, CookieAuthenticationDefaults.AuthenticationScheme);

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>Production with an external authority (never contacted here) and the attestation certificate; the key ring certificate only if asked.</summary>
    private sealed class ProductionApp : ComplianceAppFactory
    {
        private readonly bool _withKeyRingCertificate;

        public ProductionApp(bool withKeyRingCertificate)
        {
            _withKeyRingCertificate = withKeyRingCertificate;
            WritePfx(AttestationCertificatePath, "attestation-password", X509KeyUsageFlags.DigitalSignature);
            WritePfx(KeyRingCertificatePath, "key-ring-password", X509KeyUsageFlags.KeyEncipherment);
        }

        public string KeyRingCertificatePath => Path.Combine(Folder, "key-ring.pfx");

        private string AttestationCertificatePath => Path.Combine(Folder, "attestation.pfx");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("Oidc:Authority", "https://login.example/");
            builder.UseSetting("Attestations:Certificate:Path", AttestationCertificatePath);
            builder.UseSetting("Attestations:Certificate:Password", "attestation-password");
            if (_withKeyRingCertificate)
            {
                builder.UseSetting("DataProtection:Certificate:Path", KeyRingCertificatePath);
                builder.UseSetting("DataProtection:Certificate:Password", "key-ring-password");
            }
        }

        private static void WritePfx(string path, string password, X509KeyUsageFlags usage)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=Production test " + Path.GetFileNameWithoutExtension(path), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        }
    }
}
