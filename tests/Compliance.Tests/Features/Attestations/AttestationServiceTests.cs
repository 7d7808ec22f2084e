using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace Compliance.Tests.Features.Attestations;

public abstract class AttestationServiceTests(AttestationFixture fixture)
{
    public sealed class OnSqlite(AttestationFixture fixture) : AttestationServiceTests(fixture), IClassFixture<AttestationFixture>;

    public sealed class OnPostgreSql(PostgreSqlAttestationFixture fixture) : AttestationServiceTests(fixture), IClassFixture<PostgreSqlAttestationFixture>;

    private async Task<(byte[] Pdf, AttestationSnapshot Snapshot)> AcmeFilesAsync()
    {
        var pdf = await fixture.Service.GetFileAsync(fixture.Acme.Id, "pdf", CustomerScope.Unrestricted);
        var json = await fixture.Service.GetFileAsync(fixture.Acme.Id, "json", CustomerScope.Unrestricted);
        Assert.NotNull(pdf);
        Assert.NotNull(json);
        var preview = Environment.GetEnvironmentVariable("ATTESTATION_PREVIEW");
        if (!string.IsNullOrEmpty(preview))
        {
            await File.WriteAllBytesAsync(preview, pdf.Content);
            await File.WriteAllBytesAsync(Path.ChangeExtension(preview, ".json"), json.Content);
        }

        return (pdf.Content, AttestationSnapshot.FromJson(System.Text.Encoding.UTF8.GetString(json.Content)));
    }

    private string WriteTemp(byte[] bytes, string name)
    {
        var path = Path.Combine(fixture.Database.Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task The_pdf_read_back_names_every_binding_model_and_workload_of_the_snapshot()
    {
        var (pdf, snapshot) = await AcmeFilesAsync();
        Assert.True(snapshot.CountBindings() > 10);

        using var document = PdfDocument.Open(pdf);
        var lines = new List<string>();
        foreach (var page in document.GetPages())
        {
            // page.Text runs words together: rebuild lines from words sharing a baseline.
            lines.AddRange(page.GetWords()
                .GroupBy(w => Math.Round(w.BoundingBox.Bottom, 0))
                .OrderByDescending(g => g.Key)
                .Select(g => string.Join(" ", g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text))));
        }

        var text = string.Join("\n", lines);
        foreach (var workload in snapshot.Workloads)
        {
            Assert.Contains(workload.Name, text);
            foreach (var binding in workload.Bindings)
            {
                Assert.Contains(binding.Model.HostModelId, text);
            }
        }

        Assert.Contains(snapshot.VerificationCode, text);
        Assert.Contains($"Page 1 of {document.NumberOfPages}", text);
        Assert.Contains("DEVELOPMENT COPY", text);
        Assert.Equal(fixture.Acme.PdfSha256, AttestationSnapshot.Sha256(pdf));
        Assert.Equal("officer", document.Information.Author);
        Assert.Contains("acme", document.Information.Keywords);
    }

    [Fact]
    public async Task The_snapshot_records_findings_waivers_plans_and_approvals_and_its_hash_is_printed()
    {
        var (pdf, snapshot) = await AcmeFilesAsync();
        var json = await fixture.Service.GetFileAsync(fixture.Acme.Id, "json", CustomerScope.Unrestricted);
        var snapshotSha = AttestationSnapshot.Sha256(json!.Content);

        Assert.Equal(AttestationSnapshot.CurrentSchemaVersion, snapshot.SchemaVersion);
        Assert.Equal("acme", snapshot.Customer.Code);
        Assert.NotNull(snapshot.CheckRun);
        Assert.Equal(AttestationResult.NotCompliant, snapshot.Result);
        var findings = snapshot.Workloads.SelectMany(w => w.Bindings).SelectMany(b => b.Findings).ToList();
        Assert.Contains(findings, f => f.Rule == FindingRule.Restricted && f.Status == FindingStatus.Open);
        Assert.Contains(findings, f => f.Rule == FindingRule.UsageNotApproved && f.Status == FindingStatus.Waived && f.WaiverId is not null);
        Assert.DoesNotContain(findings, f => f.Status == FindingStatus.Resolved);
        var warned = snapshot.Workloads.SelectMany(w => w.Bindings).Where(b => b.Findings.Any(f => f.Rule == FindingRule.ApprovalExpiringSoon)).ToList();
        Assert.NotEmpty(warned);
        Assert.All(warned, b => Assert.NotEqual(AttestationResult.NotCompliant, b.Status));
        Assert.Single(snapshot.Waivers);
        Assert.Single(snapshot.TransitionPlans);
        Assert.NotEmpty(snapshot.Approvals);
        Assert.Equal(snapshot.Summary.Sum(s => s.Bindings), snapshot.CountBindings());

        using var document = PdfDocument.Open(pdf);
        var footer = string.Join(" ", document.GetPage(document.NumberOfPages).GetWords().Select(w => w.Text));
        Assert.Contains(snapshotSha, footer);
        Assert.Contains("\"schemaVersion\": 3", System.Text.Encoding.UTF8.GetString(json.Content));
    }

    [Fact]
    public async Task Without_a_completed_check_run_every_binding_is_still_evaluated_at_the_as_of_time()
    {
        var builder = new SnapshotBuilder(new AttestationFixture.Factory(fixture.Database), Microsoft.Extensions.Options.Options.Create(new Compliance.Web.Features.Checks.Run.CheckOptions()));
        var asOf = new DateTime(DateTime.UtcNow.Year - 1, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var snapshot = await builder.BuildAsync(fixture.AcmeId, asOf, "officer", "We attest.", "ABCD-EFGH-JK23");

        Assert.Null(snapshot.CheckRun);
        Assert.NotEqual(AttestationResult.NotEvaluated, snapshot.Result);
        Assert.Equal(asOf, snapshot.Evaluation!.EvaluatedAt);
        Assert.Equal(snapshot.CountBindings(), snapshot.Evaluation.BindingsEvaluated);
        Assert.Equal($"Evaluated at {asOf:yyyy-MM-dd} 12:00:00 UTC, at issue", snapshot.Evaluation.Text);
    }

    [Fact]
    public async Task Qpdf_finds_no_errors_in_the_pdf()
    {
        var (pdf, _) = await AcmeFilesAsync();
        var (exit, output) = AttestationFixture.Run("qpdf", "--check", WriteTemp(pdf, "check.pdf"));

        // Exit 0 is clean, 3 is warnings only (PDFsharp's compressed streams); 2 is errors.
        Assert.True(exit is 0 or 3, output);
        Assert.DoesNotContain("ERROR", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Pdfsig_reports_a_valid_signature_and_a_tampered_copy_fails_pdfsig_and_verification()
    {
        var (pdf, _) = await AcmeFilesAsync();
        var (_, output) = AttestationFixture.Run("pdfsig", WriteTemp(pdf, "signed.pdf"));
        Assert.Contains("Signature is Valid", output);
        Assert.Contains(AttestationCertificate.DevelopmentSubject["CN=".Length..], output);

        var good = await fixture.Service.VerifyPdfAsync(fixture.Acme.VerificationCode, pdf);
        Assert.True(good.Matches);
        Assert.Equal(AttestationStatus.Current, good.Attestation!.Status);
        Assert.True((await fixture.Service.VerifyPdfAsync(null, pdf)).Matches);

        // Flip one byte inside the first content stream: the signed range changes.
        var tampered = (byte[])pdf.Clone();
        var stream = IndexOf(tampered, "stream\n"u8) + 40;
        tampered[stream] ^= 0x01;
        var (_, tamperedOutput) = AttestationFixture.Run("pdfsig", WriteTemp(tampered, "tampered.pdf"));
        Assert.DoesNotContain("Signature is Valid", tamperedOutput);
        Assert.False((await fixture.Service.VerifyPdfAsync(fixture.Acme.VerificationCode, tampered)).Matches);
        var byHash = await fixture.Service.VerifyPdfAsync(null, tampered);
        Assert.False(byHash.Matches);
        Assert.Null(byHash.Attestation);
    }

    [Fact]
    public async Task Issuing_again_supersedes_the_previous_attestation()
    {
        var first = await fixture.Service.IssueAsync(fixture.InitechId, "officer", "First statement.");
        var second = await fixture.Service.IssueAsync(fixture.InitechId, "officer", "Second statement.");

        var rows = await fixture.Service.ListAsync(CustomerScope.Unrestricted, fixture.InitechId);
        Assert.Equal(AttestationStatus.Superseded, rows.Single(r => r.Id == first.Id).Status);
        Assert.Equal(second.Id, rows.Single(r => r.Id == first.Id).SupersededById);
        Assert.Equal(AttestationStatus.Current, rows.Single(r => r.Id == second.Id).Status);
        Assert.Single(rows, r => r.Status == AttestationStatus.Current);

        var verification = await fixture.Service.VerifyAsync(first.VerificationCode.ToLowerInvariant().Replace("-", " "));
        Assert.Equal(AttestationStatus.Superseded, verification!.Status);
        Assert.Equal(second.VerificationCode, verification.SupersededByCode);
    }

    [Fact]
    public async Task A_withdrawn_attestation_verifies_as_withdrawn_and_withdrawing_needs_a_reason()
    {
        var issued = await fixture.Service.IssueAsync(fixture.GlobexId, "officer", null);
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Service.WithdrawAsync(issued.Id, "officer", " "));

        await fixture.Service.WithdrawAsync(issued.Id, "officer", "Issued against the wrong inventory snapshot.");

        var verification = await fixture.Service.VerifyAsync(issued.VerificationCode);
        Assert.Equal(AttestationStatus.Withdrawn, verification!.Status);
        Assert.Equal("Issued against the wrong inventory snapshot.", verification.WithdrawalReason);
        var pdf = await fixture.Service.GetFileAsync(issued.Id, "pdf", CustomerScope.Unrestricted);
        var upload = await fixture.Service.VerifyPdfAsync(issued.VerificationCode, pdf!.Content);
        Assert.True(upload.Matches);
        Assert.Equal(AttestationStatus.Withdrawn, upload.Attestation!.Status);
        Assert.Equal(issued.PdfSha256, verification.PdfSha256);
    }

    [Fact]
    public async Task A_customer_cannot_list_or_read_another_customers_attestation()
    {
        var globex = CustomerScope.For(new Customer { Id = fixture.GlobexId, Code = "", Name = "" });

        Assert.Null(await fixture.Service.GetFileAsync(fixture.Acme.Id, "pdf", globex));
        Assert.Null(await fixture.Service.GetFileAsync(fixture.Acme.Id, "json", globex));
        Assert.DoesNotContain(await fixture.Service.ListAsync(globex), r => r.CustomerId == fixture.AcmeId);
        Assert.Empty(await fixture.Service.ListAsync(globex, fixture.AcmeId));
        Assert.Null(await fixture.Service.GetFileAsync(fixture.Acme.Id, "pdf", CustomerScope.Nothing));
        Assert.NotNull(await fixture.Service.GetFileAsync(fixture.Acme.Id, "pdf", CustomerScope.For(new Customer { Id = fixture.AcmeId, Code = "", Name = "" })));
    }

    [Fact]
    public async Task Downloads_are_recorded_with_who_when_and_format()
    {
        await fixture.Service.RecordDownloadAsync(fixture.Acme.Id, "customer-acme", "pdf");
        await fixture.Service.RecordDownloadAsync(fixture.Acme.Id, "customer-acme", "json");

        var log = await fixture.Service.DownloadsAsync(fixture.Acme.Id);
        Assert.Contains(log, d => d.DownloadedBy == "customer-acme" && d.Format == "pdf");
        Assert.Contains(log, d => d.DownloadedBy == "customer-acme" && d.Format == "json");
        Assert.All(log, d => Assert.True(d.At > DateTime.UtcNow.AddMinutes(-5)));
    }

    [Fact]
    public async Task An_issued_attestation_cannot_be_changed_through_the_service_or_a_context_it_saves()
    {
        // The service API offers no way to pass new content for an existing attestation.
        var methods = typeof(AttestationService).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
        Assert.DoesNotContain(methods, m => m.Name.StartsWith("Update", StringComparison.Ordinal) || m.Name.StartsWith("Edit", StringComparison.Ordinal)
            || m.Name.StartsWith("Delete", StringComparison.Ordinal));
        Assert.All(methods.Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(byte[]))), m => Assert.Equal(nameof(AttestationService.VerifyPdfAsync), m.Name));

        // And the guard every save passes refuses a changed PDF or snapshot, or a deletion.
        await using var db = fixture.Database.Create();
        var attestation = await db.Attestations.SingleAsync(a => a.Id == fixture.Acme.Id);
        attestation.Pdf = [1, 2, 3];
        db.ChangeTracker.DetectChanges();
        Assert.Throws<InvalidOperationException>(() => AttestationService.EnsureImmutable(db.ChangeTracker));
        db.ChangeTracker.Clear();
        attestation = await db.Attestations.SingleAsync(a => a.Id == fixture.Acme.Id);
        attestation.SnapshotJson = "{}";
        db.ChangeTracker.DetectChanges();
        Assert.Throws<InvalidOperationException>(() => AttestationService.EnsureImmutable(db.ChangeTracker));
        db.ChangeTracker.Clear();
        db.Attestations.Remove(await db.Attestations.SingleAsync(a => a.Id == fixture.Acme.Id));
        Assert.Throws<InvalidOperationException>(() => AttestationService.EnsureImmutable(db.ChangeTracker));
        db.ChangeTracker.Clear();
        attestation = await db.Attestations.SingleAsync(a => a.Id == fixture.Acme.Id);
        attestation.WithdrawalReason = "status fields may change";
        db.ChangeTracker.DetectChanges();
        AttestationService.EnsureImmutable(db.ChangeTracker);
    }

    [Fact]
    public void The_development_certificate_is_created_beside_the_database_readable_only_by_its_owner()
    {
        var certificate = fixture.Certificates.Get();
        Assert.True(certificate.IsDevelopment);
        Assert.Equal(AttestationCertificate.DevelopmentSubject, certificate.Certificate.Subject);
        Assert.Equal(3072, certificate.Certificate.GetRSAPublicKey()!.KeySize);
        var pfx = Path.Combine(fixture.Database.Folder, AttestationCertificate.DevelopmentFile);
        Assert.True(File.Exists(pfx + ".password"));
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx + ".password"));
    }

    [Theory]
    [InlineData("abcd-efgh-jkmn", "ABCD-EFGH-JKMN")]
    [InlineData("ABCDEFGHJKMN", "ABCD-EFGH-JKMN")]
    [InlineData("ABCD EFGH JKMN", "ABCD-EFGH-JKMN")]
    [InlineData("ABCD-EFGH-JKM0", null)]
    [InlineData("ABCD-EFGH", null)]
    [InlineData("", null)]
    public void Verification_codes_are_normalised_or_refused(string input, string? expected) =>
        Assert.Equal(expected, AttestationService.NormaliseCode(input));

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);
}
