using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Compliance.Data;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Tests.Features.Attestations;

/// <summary>The real app host; requests sign in through a header-driven test scheme ("name;role;customer").</summary>
public class AttestationAppFactory : ComplianceAppFactory
{
    public const string Header = "X-Test-User";

    public AttestationAppFactory()
    {
    }

    protected AttestationAppFactory(DatabaseProvider provider)
        : base(provider)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>("Test", null);
            services.PostConfigure<AuthenticationOptions>(o =>
            {
                o.DefaultScheme = "Test";
                o.DefaultAuthenticateScheme = "Test";
                o.DefaultChallengeScheme = "Test";
            });
        });
    }

    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers[Header].FirstOrDefault() is not { Length: > 0 } value)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var parts = value.Split(';');
            List<Claim> claims = [new("sub", parts[0]), new("name", parts[0]), new("role", parts[1])];
            if (parts.Length > 2)
            {
                claims.Add(new Claim("customer_id", parts[2]));
            }

            var identity = new ClaimsIdentity(claims, "Test", "name", "role");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "Test")));
        }
    }
}

/// <summary>The same app on PostgreSQL.</summary>
public sealed class PostgreSqlAttestationAppFactory() : AttestationAppFactory(DatabaseProvider.PostgreSql);

public abstract class AttestationEndpointTests(AttestationAppFactory factory)
{
    public sealed class OnSqlite(AttestationAppFactory factory) : AttestationEndpointTests(factory), IClassFixture<AttestationAppFactory>;

    public sealed class OnPostgreSql(PostgreSqlAttestationAppFactory factory) : AttestationEndpointTests(factory), IClassFixture<PostgreSqlAttestationAppFactory>;

    private HttpClient Client(string? user = null)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(AttestationAppFactory.Header, user);
        }

        return client;
    }

    private async Task<AttestationRow> IssueAsync(string customerCode)
    {
        using var _ = Client();
        var db = factory.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>();
        await using var context = await db.CreateDbContextAsync();
        var id = await context.Customers.Where(c => c.Code == customerCode).Select(c => c.Id).SingleAsync();
        return await factory.Services.GetRequiredService<AttestationService>().IssueAsync(id, "officer", null);
    }

    [Fact]
    public async Task A_customer_downloads_its_own_attestation_and_the_download_is_recorded()
    {
        var issued = await IssueAsync("acme");
        using var client = Client($"customer-acme;{Roles.Customer};acme");

        var pdf = await client.GetAsync($"/attestations/{issued.Id}/pdf");
        var json = await client.GetAsync($"/attestations/{issued.Id}/json");

        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal(issued.PdfSha256, AttestationSnapshot.Sha256(await pdf.Content.ReadAsByteArrayAsync()));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Contains("\"verificationCode\"", await json.Content.ReadAsStringAsync());
        var log = await factory.Services.GetRequiredService<AttestationService>().DownloadsAsync(issued.Id);
        Assert.Contains(log, d => d.DownloadedBy == "customer-acme" && d.Format == "pdf");
        Assert.Contains(log, d => d.DownloadedBy == "customer-acme" && d.Format == "json");
    }

    [Fact]
    public async Task Another_customer_gets_not_found_for_an_attestation_that_is_not_its_own()
    {
        var issued = await IssueAsync("acme");
        using var globex = Client($"customer-globex;{Roles.Customer};globex");
        using var forged = Client($"customer-x;{Roles.Customer};no-such-customer");
        using var anonymous = Client();

        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/attestations/{issued.Id}/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync($"/attestations/{issued.Id}/json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await forged.GetAsync($"/attestations/{issued.Id}/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/attestations/{issued.Id}/pdf")).StatusCode);
        var log = await factory.Services.GetRequiredService<AttestationService>().DownloadsAsync(issued.Id);
        Assert.DoesNotContain(log, d => d.DownloadedBy is "customer-globex" or "customer-x");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Each_snapshot_schema_version_is_served_anonymously_as_json(int version)
    {
        using var anonymous = Client();

        var response = await anonymous.GetAsync($"/schemas/attestation-v{version}.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var schema = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(version, schema.RootElement.GetProperty("properties").GetProperty("schemaVersion").GetProperty("const").GetInt32());
    }

    [Fact]
    public async Task The_public_verification_page_says_current_or_withdrawn()
    {
        var issued = await IssueAsync("globex");
        using var anonymous = Client();

        var current = await anonymous.GetStringAsync($"/verify/{issued.VerificationCode}");
        Assert.Contains("Authentic attestation — current", current);
        Assert.Contains(issued.CustomerName, current);
        Assert.Contains(issued.PdfSha256, current);

        await factory.Services.GetRequiredService<AttestationService>().WithdrawAsync(issued.Id, "officer", "Wrong scope.");
        var withdrawn = await anonymous.GetStringAsync($"/verify?code={issued.VerificationCode.ToLowerInvariant()}");
        Assert.Contains("Authentic attestation — withdrawn", withdrawn);
        Assert.Contains("Wrong scope.", withdrawn);

        var unknown = await anonymous.GetStringAsync("/verify/AAAA-BBBB-CCCC");
        Assert.Contains("No attestation has the code", unknown);
    }

    [Fact]
    public async Task Uploading_the_pdf_to_the_verification_page_compares_its_hash()
    {
        var issued = await IssueAsync("acme");
        var service = factory.Services.GetRequiredService<AttestationService>();
        var pdf = (await service.GetFileAsync(issued.Id, "pdf", CustomerScope.Unrestricted))!.Content;
        var tampered = (byte[])pdf.Clone();
        tampered[pdf.Length / 2] ^= 0x20;
        using var anonymous = Client();

        Assert.Contains("is exactly attestation", await UploadAsync(anonymous, issued.VerificationCode, pdf, "application/pdf"));
        Assert.Contains("does not match", await UploadAsync(anonymous, issued.VerificationCode, tampered, "application/pdf"));
        Assert.Contains("is exactly attestation", await UploadAsync(anonymous, null, pdf, "application/pdf"));
        Assert.Contains("The file is not a PDF", await UploadAsync(anonymous, issued.VerificationCode, pdf, "text/plain"));
    }

    [Fact]
    public async Task An_upload_without_the_antiforgery_token_is_refused()
    {
        using var anonymous = Client();
        using var form = new MultipartFormDataContent { { new StringContent("verify-pdf"), "_handler" } };
        var file = new ByteArrayContent("%PDF-1.7"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "pdf", "a.pdf");

        var response = await anonymous.PostAsync("/verify", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_attestations_page_shows_a_customer_only_its_own_and_officers_everything()
    {
        var acme = await IssueAsync("acme");
        var globex = await IssueAsync("globex");
        using var customer = Client($"customer-globex;{Roles.Customer};globex");
        using var officer = Client($"officer;{Roles.ComplianceOfficer}");

        var customerPage = await customer.GetStringAsync("/attestations");
        Assert.Contains("Your attestations", customerPage);
        Assert.Contains(globex.VerificationCode, customerPage);
        Assert.DoesNotContain(acme.VerificationCode, customerPage);
        Assert.DoesNotContain("Issue attestation", customerPage);

        var officerPage = await officer.GetStringAsync("/attestations");
        Assert.Contains(globex.VerificationCode, officerPage);
        Assert.Contains(acme.VerificationCode, officerPage);
        Assert.Contains("Issue attestation", officerPage);
    }

    [Fact]
    public async Task An_upload_over_twenty_megabytes_is_refused_and_one_under_it_is_compared()
    {
        using var anonymous = Client();
        var under = new byte[19 * 1024 * 1024];
        "%PDF-1.7"u8.CopyTo(under);
        Assert.Contains("does not match", await UploadAsync(anonymous, null, under, "application/pdf"));

        var page = await anonymous.GetStringAsync("/verify");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var over = new byte[21 * 1024 * 1024];
        "%PDF-1.7"u8.CopyTo(over);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("verify-pdf"), "_handler" },
        };
        var file = new ByteArrayContent(over);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "pdf", "big.pdf");

        // The form limit stops reading the body (400 under the test server; Kestrel answers 413).
        var response = await anonymous.PostAsync("/verify", form);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, response.StatusCode.ToString());
    }

    [Fact]
    public async Task No_context_of_the_app_can_change_or_delete_an_issued_attestation()
    {
        var issued = await IssueAsync("acme");
        var contexts = factory.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>();

        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.As("mallory");
            (await db.Attestations.SingleAsync(a => a.Id == issued.Id)).Pdf = [0x25, 0x50, 0x44, 0x46];
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("immutable", error.Message);
        }

        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.As("mallory");
            db.Attestations.Remove(await db.Attestations.SingleAsync(a => a.Id == issued.Id));
            Assert.Contains("cannot be deleted", Assert.Throws<InvalidOperationException>(() => db.SaveChanges()).Message);
        }

        var pdf = await factory.Services.GetRequiredService<AttestationService>().GetFileAsync(issued.Id, "pdf", CustomerScope.Unrestricted);
        Assert.Equal(issued.PdfSha256, AttestationSnapshot.Sha256(pdf!.Content));
    }

    private static async Task<string> UploadAsync(HttpClient client, string? code, byte[] pdf, string contentType)
    {
        var url = code is null ? "/verify" : $"/verify/{code}";
        var page = await client.GetStringAsync(url);
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "the page has no antiforgery token");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("verify-pdf"), "_handler" },
        };
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "pdf", "attestation.pdf");
        var response = await client.PostAsync(url, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        return WebUtility.HtmlDecode(body);
    }
}
