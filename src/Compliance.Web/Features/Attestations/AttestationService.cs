using System.Linq.Expressions;
using System.Security.Claims;
using System.Security.Cryptography;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Options;
using Compliance.Web.Shared;
using Compliance.Web.Features.Notifications;

namespace Compliance.Web.Features.Attestations;

public sealed record AttestationRow(
    int Id, int CustomerId, string CustomerCode, string CustomerName, string VerificationCode, DateTime IssuedAt, DateTime AsOf,
    string IssuedBy, AttestationStatus Status, bool IsDevelopmentCopy, string PdfSha256, int? SupersededById,
    DateTime? WithdrawnAt, string? WithdrawnBy, string? WithdrawalReason, int Downloads, DateTime? StaleSince, string? StaleReason,
    DateTime? SupersededAt)
{
    public AttestationStanding Standing =>
        AttestationStanding.Of(Status, StaleSince, StaleReason, SupersededAt, null, WithdrawnAt, WithdrawalReason);
}

public sealed record AttestationDownloadRow(string DownloadedBy, DateTime At, string Format);

/// <summary>What <c>/verify</c> says about a code.</summary>
public sealed record AttestationVerification(
    string VerificationCode, AttestationStatus Status, string CustomerName, string IssuedBy, DateTime IssuedAt, DateTime AsOf,
    string PdfSha256, string SnapshotSha256, bool IsDevelopmentCopy, string? SupersededByCode, DateTime? WithdrawnAt, string? WithdrawalReason,
    DateTime? StaleSince, string? StaleReason, DateTime? SupersededAt)
{
    public AttestationStanding Standing =>
        AttestationStanding.Of(Status, StaleSince, StaleReason, SupersededAt, SupersededByCode, WithdrawnAt, WithdrawalReason);
}

/// <summary>How far a re-issue for every stale customer has got.</summary>
public sealed record ReissueProgress(int Done, int Total, string? Current, IReadOnlyList<string> Failed);

/// <summary>The outcome of comparing an uploaded PDF with the stored one.</summary>
public sealed record PdfVerification(bool Matches, string UploadedSha256, AttestationVerification? Attestation);

/// <summary>A stored file of an attestation, ready to send.</summary>
public sealed record AttestationFile(int Id, string FileName, string ContentType, byte[] Content);

/// <summary>
/// Issues, supersedes, withdraws, verifies and serves attestations. The snapshot, the PDF and their
/// hashes are written once, on issue; no method here changes them, and every save passes
/// <see cref="EnsureImmutable"/>, which refuses any change to them. Who may read is the shared
/// <see cref="CustomerScope"/>; the commands taking a <see cref="ClaimsPrincipal"/> check the caller's role themselves,
/// so a page or endpoint that forgets to cannot issue, withdraw or read an access log for the wrong person.
/// </summary>
public sealed class AttestationService(
    IDbContextFactory<ComplianceDb> dbFactory,
    SnapshotBuilder snapshots,
    CustomerScopes scopes,
    AttestationCertificateSource certificates,
    IOptions<AttestationOptions> options,
    TimeProvider clock,
    ILogger<AttestationService> log,
    Audit.AuditAnchorLog? anchors = null,
    INotificationPublisher? notifications = null)
{
    public const string SignatoryMissing =
        "Attestations:Signatory is not set: the monthly attestation is issued in the name of the responsible compliance officer "
        + "(their subject, sub), never \"system\". Set it in configuration.";
    public const long MaxUploadBytes = 20 * 1024 * 1024;

    /// <summary>Unambiguous to read aloud and type: no 0/O, 1/I/L.</summary>
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    private readonly AttestationTimestamping? _timestamping = AttestationTimestamping.From(options.Value);

    private static readonly string[] ImmutableProperties =
    [
        nameof(Attestation.SnapshotJson), nameof(Attestation.SnapshotSha256), nameof(Attestation.Pdf), nameof(Attestation.PdfSha256),
        nameof(Attestation.VerificationCode), nameof(Attestation.CustomerId), nameof(Attestation.Statement), nameof(Attestation.IssuedBy),
        nameof(Attestation.IssuedAt), nameof(Attestation.AsOf), nameof(Attestation.CheckRunId), nameof(Attestation.IsDevelopmentCopy),
    ];

    public string VerifyUrl(string code) => $"{options.Value.BaseUrl.TrimEnd('/')}/verify/{code}";

    /// <summary>
    /// Issues an attestation as <paramref name="user"/>: compliance officers only, and a principal that also holds the
    /// Customer role only for its own organisation. A refusal changes nothing.
    /// </summary>
    public async Task<Outcome<AttestationRow>> IssueAsync(ClaimsPrincipal user, int customerId, string? statement = null, CancellationToken ct = default)
    {
        if (!user.IsInRole(Roles.ComplianceOfficer))
        {
            return Outcome<AttestationRow>.Refused("Only a compliance officer may issue an attestation.");
        }

        if (!(await scopes.ForAsync(user, ct)).CanSee(customerId))
        {
            return Outcome<AttestationRow>.Refused("A customer account may issue an attestation only for its own organisation.");
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
            {
                return Outcome<AttestationRow>.Missing($"There is no customer {customerId}.");
            }
        }

        if (statement?.Trim().Length > 4000)
        {
            return Outcome<AttestationRow>.Invalid(new FieldError("statement", "The statement is longer than 4,000 characters."));
        }

        return Outcome<AttestationRow>.Ok(await IssueAsync(customerId, user.ActorName(), statement, ct));
    }

    /// <summary>
    /// Builds the snapshot, renders and signs the PDF, stores both and supersedes the customer's current attestation.
    /// No role check: for the scheduled job (in the name of <see cref="AttestationOptions.Signatory"/>) and tests; people go through the overload taking a principal.
    /// </summary>
    internal async Task<AttestationRow> IssueAsync(int customerId, string issuer, string? statement = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        statement = string.IsNullOrWhiteSpace(statement) ? options.Value.DefaultStatement : statement.Trim();
        if (statement.Length > 4000)
        {
            throw new ArgumentException("The statement is longer than 4,000 characters.", nameof(statement));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var asOf = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var code = await NewCodeAsync(ct);
        var snapshot = await snapshots.BuildAsync(customerId, asOf, issuer, statement, code, ct);
        var json = snapshot.ToJson();
        var snapshotSha = AttestationSnapshot.Sha256(json);
        var certificate = certificates.Get();
        var document = AttestationPdf.Render(snapshot, snapshotSha, VerifyUrl(code), certificate.IsDevelopment, _timestamping?.Authority);
        AttestationArchive.Prepare(document, json, code, asOf);
        var pdf = (await AttestationSigner.SignAndSaveAsync(document, certificate, _timestamping, code, issuer)).Pdf;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.As(issuer, $"Attestation {code} issued");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var attestation = new Attestation
        {
            CustomerId = customerId, VerificationCode = code, Statement = statement, IssuedBy = issuer, IssuedAt = now, AsOf = asOf,
            CheckRunId = snapshot.CheckRun?.Id, SnapshotJson = json, SnapshotSha256 = snapshotSha, Pdf = pdf,
            PdfSha256 = AttestationSnapshot.Sha256(pdf), IsDevelopmentCopy = certificate.IsDevelopment, Status = AttestationStatus.Current,
        };
        db.Attestations.Add(attestation);
        await SaveAsync(db, ct);

        var previous = await db.Attestations
            .Where(a => a.CustomerId == customerId && a.Status == AttestationStatus.Current && a.Id != attestation.Id)
            .ToListAsync(ct);
        foreach (var old in previous)
        {
            old.Status = AttestationStatus.Superseded;
            old.SupersededById = attestation.Id;
        }

        db.As(issuer, $"Superseded by attestation {code}");
        await SaveAsync(db, ct);
        // The head now includes this attestation's own events: written outside the database, it still names them
        // after someone cuts the newest events and the attestation rows together.
        var head = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).Select(e => new { e.Id, e.Hash }).FirstAsync(ct);
        await transaction.CommitAsync(ct);
        if (anchors is not null)
        {
            await anchors.AppendAsync(new Audit.AuditAnchor(now, head.Id, head.Hash, $"attestation {code}"), CancellationToken.None);
        }

        log.LogInformation("Attestation {Code} issued for customer {CustomerId} by {Issuer}: {Result}, {Bindings} bindings, {Bytes} bytes",
            code, customerId, issuer, snapshot.Result, snapshot.CountBindings(), pdf.Length);
        notifications?.Publish(NotificationEvents.AttestationIssued, new
        {
            attestationId = attestation.Id, customerId, verificationCode = code, issuedBy = issuer, asOf, result = snapshot.Result.ToString(),
            link = $"/verify/{code}",
        });
        return (await ListAsync(CustomerScope.Unrestricted, customerId, ct)).First(r => r.Id == attestation.Id);
    }

    /// <summary>
    /// Issues every customer's attestation (the monthly job), superseding each previous one, in the name of the configured
    /// responsible officer (<see cref="AttestationOptions.Signatory"/>).
    /// </summary>
    public async Task<int> IssueMonthlyAsync(CancellationToken ct)
    {
        var signatory = options.Value.Signatory?.Trim();
        if (string.IsNullOrEmpty(signatory))
        {
            throw new InvalidOperationException(SignatoryMissing);
        }

        List<int> customerIds;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            customerIds = await db.Customers.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        }

        // One customer's failure does not keep the others from their attestation; the job still fails so it is seen and retried.
        var issued = 0;
        var failures = new List<Exception>();
        foreach (var id in customerIds)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await IssueAsync(id, signatory, null, ct);
                issued++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The scheduled attestation for customer {CustomerId} failed", id);
                failures.Add(e);
            }
        }

        return failures.Count == 0 ? issued
            : throw new AggregateException($"{failures.Count} of {customerIds.Count} scheduled attestations failed.", failures);
    }

    /// <summary>
    /// Re-issues the attestation of every customer whose current one is stale, as <paramref name="user"/> (compliance
    /// officers only), one customer after another, reporting progress; one failure does not stop the others.
    /// </summary>
    public async Task<Outcome<ReissueProgress>> ReissueStaleAsync(
        ClaimsPrincipal user, IProgress<ReissueProgress>? progress = null, CancellationToken ct = default)
    {
        if (!user.ActsAs(Roles.ComplianceOfficer))
        {
            return Outcome<ReissueProgress>.Refused("Only a compliance officer may re-issue attestations.");
        }

        List<(int CustomerId, string Name)> stale;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            stale = (await db.Attestations.AsNoTracking()
                    .Where(a => a.Status == AttestationStatus.Current && a.StaleSince != null)
                    .OrderBy(a => a.Customer!.Name)
                    .Select(a => new { a.CustomerId, a.Customer!.Name })
                    .ToListAsync(ct))
                .Select(a => (a.CustomerId, a.Name)).Distinct().ToList();
        }

        var failed = new List<string>();
        var done = 0;
        progress?.Report(new ReissueProgress(0, stale.Count, stale.FirstOrDefault().Name, failed));
        foreach (var (customerId, name) in stale)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new ReissueProgress(done, stale.Count, name, [.. failed]));
            try
            {
                await IssueAsync(customerId, user.ActorName(), null, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Re-issuing the stale attestation of customer {CustomerId} failed", customerId);
                failed.Add(name);
            }

            done++;
        }

        var result = new ReissueProgress(done, stale.Count, null, [.. failed]);
        progress?.Report(result);
        return Outcome<ReissueProgress>.Ok(result);
    }

    /// <summary>
    /// Withdraws an attestation as <paramref name="user"/>: compliance officers only, and a principal that also holds the
    /// Customer role only its own organisation's (another's is "not found", so ids don't leak). A refusal changes nothing.
    /// </summary>
    public async Task<Outcome<bool>> WithdrawAsync(ClaimsPrincipal user, int id, string reason, CancellationToken ct = default)
    {
        if (!user.IsInRole(Roles.ComplianceOfficer))
        {
            return Outcome<bool>.Refused("Only a compliance officer may withdraw an attestation.");
        }

        if (!await IsVisibleAsync(id, await scopes.ForAsync(user, ct), ct))
        {
            return Outcome<bool>.Missing($"There is no attestation {id}.");
        }

        try
        {
            await WithdrawAsync(id, user.ActorName(), reason, ct);
            return Outcome<bool>.Ok(true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return Outcome<bool>.Invalid(new FieldError("reason", e.Message));
        }
    }

    /// <summary>Withdraws an attestation; the reason is required and recorded. The content stays as issued. No role check (tests).</summary>
    internal async Task WithdrawAsync(int id, string by, string reason, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required to withdraw an attestation.", nameof(reason));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var attestation = await db.Attestations.SingleOrDefaultAsync(a => a.Id == id, ct)
            ?? throw new KeyNotFoundException($"There is no attestation {id}.");
        if (attestation.Status == AttestationStatus.Withdrawn)
        {
            throw new InvalidOperationException($"Attestation {attestation.VerificationCode} is already withdrawn.");
        }

        attestation.Status = AttestationStatus.Withdrawn;
        attestation.WithdrawnAt = clock.GetUtcNow().UtcDateTime;
        attestation.WithdrawnBy = by;
        attestation.WithdrawalReason = reason.Trim();
        db.As(by, reason.Trim());
        await SaveAsync(db, ct);
        log.LogInformation("Attestation {Code} withdrawn by {User}", attestation.VerificationCode, by);
    }

    public async Task<AttestationVerification?> VerifyAsync(string code, CancellationToken ct = default)
    {
        if (NormaliseCode(code) is not { } normalised)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Verifications(db, a => a.VerificationCode == normalised).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// What the issued PDF's own signature says (signer, chain, timestamp), read from the stored file for <c>/verify</c>;
    /// null when the code names no attestation. Anonymous like <see cref="VerifyAsync"/>: it reveals no more than the PDF does.
    /// </summary>
    public async Task<AttestationSignatureFacts?> SignatureAsync(string code, CancellationToken ct = default)
    {
        if (NormaliseCode(code) is not { } normalised)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pdf = await db.Attestations.AsNoTracking().Where(a => a.VerificationCode == normalised).Select(a => a.Pdf).FirstOrDefaultAsync(ct);
        return pdf is null ? null : AttestationSignatureReader.Read(pdf, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Compares the uploaded PDF's SHA-256 with the stored one: of the code given, or of any attestation when none is.</summary>
    public Task<PdfVerification> VerifyPdfAsync(string? code, byte[] pdf, CancellationToken ct = default) =>
        VerifyPdfSha256Async(code, AttestationSnapshot.Sha256(pdf), ct);

    /// <summary>As <see cref="VerifyPdfAsync"/>, for a PDF whose SHA-256 (lower-case hex) the caller computed while streaming it.</summary>
    public async Task<PdfVerification> VerifyPdfSha256Async(string? code, string sha, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!string.IsNullOrWhiteSpace(code))
        {
            var byCode = NormaliseCode(code) is { } normalised
                ? await Verifications(db, a => a.VerificationCode == normalised).FirstOrDefaultAsync(ct)
                : null;
            return new PdfVerification(byCode is not null && CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(byCode.PdfSha256), System.Text.Encoding.ASCII.GetBytes(sha)), sha, byCode);
        }

        var byHash = await Verifications(db, a => a.PdfSha256 == sha).FirstOrDefaultAsync(ct);
        return new PdfVerification(byHash is not null, sha, byHash);
    }

    public async Task<List<AttestationRow>> ListAsync(CustomerScope scope, int? customerId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Rows(db, Filtered(db, scope, customerId).OrderByDescending(a => a.IssuedAt).ThenByDescending(a => a.Id)).ToListAsync(ct);
    }

    /// <summary>
    /// One keyset page, newest first by id (ids grow with issue time): the <paramref name="take"/> attestations below
    /// <paramref name="before"/> the scope may see. The database pages; nothing is listed in memory.
    /// </summary>
    public async Task<List<AttestationRow>> PageAsync(CustomerScope scope, int? customerId, int? before, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Filtered(db, scope, customerId);
        if (before is { } b)
        {
            query = query.Where(a => a.Id < b);
        }

        return await Rows(db, query.OrderByDescending(a => a.Id).Take(take)).ToListAsync(ct);
    }

    private static IQueryable<Attestation> Filtered(ComplianceDb db, CustomerScope scope, int? customerId)
    {
        var query = Scoped(db, scope);
        return customerId is { } id ? query.Where(a => a.CustomerId == id) : query;
    }

    private static IQueryable<AttestationRow> Rows(ComplianceDb db, IQueryable<Attestation> query) =>
        query.Select(a => new AttestationRow(a.Id, a.CustomerId, a.Customer!.Code, a.Customer.Name, a.VerificationCode, a.IssuedAt, a.AsOf,
            a.IssuedBy, a.Status, a.IsDevelopmentCopy, a.PdfSha256, a.SupersededById, a.WithdrawnAt, a.WithdrawnBy, a.WithdrawalReason,
            db.AttestationDownloads.Count(d => d.AttestationId == a.Id), a.StaleSince, a.StaleReason,
            db.Attestations.Where(n => n.Id == a.SupersededById).Select(n => (DateTime?)n.IssuedAt).FirstOrDefault()));

    /// <summary>The PDF or JSON of an attestation the scope may see; null otherwise (callers answer 404, so ids don't leak).</summary>
    public async Task<AttestationFile?> GetFileAsync(int id, string format, CustomerScope scope, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Scoped(db, scope).Where(a => a.Id == id);
        return format switch
        {
            "pdf" => await query.Select(a => new AttestationFile(a.Id, $"attestation-{a.Customer!.Code}-{a.VerificationCode}.pdf", "application/pdf", a.Pdf))
                .FirstOrDefaultAsync(ct),
            "json" => await query.Select(a => new { a.Id, a.Customer!.Code, a.VerificationCode, a.SnapshotJson }).FirstOrDefaultAsync(ct) is { } j
                ? new AttestationFile(j.Id, $"attestation-{j.Code}-{j.VerificationCode}.json", "application/json",
                    System.Text.Encoding.UTF8.GetBytes(j.SnapshotJson))
                : null,
            _ => throw new ArgumentException("The format is pdf or json.", nameof(format)),
        };
    }

    public async Task RecordDownloadAsync(int attestationId, string who, string format, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AttestationDownloads.Add(new AttestationDownload
        {
            AttestationId = attestationId, DownloadedBy = who, At = clock.GetUtcNow().UtcDateTime, Format = format,
        });
        // The insert is on the audit trail, attributed to the downloader.
        db.As(who, $"Attestation {attestationId} downloaded as {format}");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The access log of an attestation as <paramref name="user"/> may see it: staff, or the customer of that attestation
    /// (another organisation's is "not found"). Machine clients and principals without a role are refused.
    /// </summary>
    public async Task<Outcome<List<AttestationDownloadRow>>> DownloadsAsync(ClaimsPrincipal user, int attestationId, CancellationToken ct = default)
    {
        if (!user.IsStaff() && !user.IsCustomer())
        {
            return Outcome<List<AttestationDownloadRow>>.Refused("Only staff, or the customer it was issued to, may read an attestation's access log.");
        }

        return await IsVisibleAsync(attestationId, await scopes.ForAsync(user, ct), ct)
            ? Outcome<List<AttestationDownloadRow>>.Ok(await DownloadsAsync(attestationId, ct))
            : Outcome<List<AttestationDownloadRow>>.Missing($"There is no attestation {attestationId}.");
    }

    internal async Task<List<AttestationDownloadRow>> DownloadsAsync(int attestationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AttestationDownloads.AsNoTracking().Where(d => d.AttestationId == attestationId)
            .OrderByDescending(d => d.At).ThenByDescending(d => d.Id)
            .Select(d => new AttestationDownloadRow(d.DownloadedBy, d.At, d.Format))
            .ToListAsync(ct);
    }

    /// <summary>Turns user input into <c>XXXX-XXXX-XXXX</c>, or null when it cannot be a code.</summary>
    public static string? NormaliseCode(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        Span<char> chars = stackalloc char[12];
        var n = 0;
        foreach (var c in input)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (n == 12 || !CodeAlphabet.Contains(upper))
            {
                return null;
            }

            chars[n++] = upper;
        }

        return n == 12 ? $"{chars[..4]}-{chars[4..8]}-{chars[8..]}" : null;
    }

    /// <summary>
    /// Refuses a save that would change or delete an issued attestation's content: only status,
    /// supersession and withdrawal fields may change after issue.
    /// </summary>
    public static void EnsureImmutable(ChangeTracker changes)
    {
        foreach (var entry in changes.Entries<Attestation>())
        {
            if (entry.State == EntityState.Deleted)
            {
                throw new InvalidOperationException($"Attestation {entry.Entity.VerificationCode} cannot be deleted; withdraw it instead.");
            }

            if (entry.State == EntityState.Modified
                && ImmutableProperties.FirstOrDefault(p => entry.Property(p).IsModified) is { } property)
            {
                throw new InvalidOperationException(
                    $"Attestation {entry.Entity.VerificationCode} is immutable: {property} cannot change. Issue a new attestation instead.");
            }
        }
    }

    private static async Task SaveAsync(ComplianceDb db, CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        EnsureImmutable(db.ChangeTracker);
        await db.SaveChangesAsync(ct);
    }

    private static IQueryable<Attestation> Scoped(ComplianceDb db, CustomerScope scope) => db.Attestations.AsNoTracking().VisibleTo(scope);

    private async Task<bool> IsVisibleAsync(int id, CustomerScope scope, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Scoped(db, scope).AnyAsync(a => a.Id == id, ct);
    }

    private static IQueryable<AttestationVerification> Verifications(ComplianceDb db, Expression<Func<Attestation, bool>> where) =>
        db.Attestations.AsNoTracking().Where(where).Select(a => new AttestationVerification(
            a.VerificationCode, a.Status, a.Customer!.Name, a.IssuedBy, a.IssuedAt, a.AsOf, a.PdfSha256, a.SnapshotSha256, a.IsDevelopmentCopy,
            db.Attestations.Where(n => n.Id == a.SupersededById).Select(n => n.VerificationCode).FirstOrDefault(),
            a.WithdrawnAt, a.WithdrawalReason, a.StaleSince, a.StaleReason,
            db.Attestations.Where(n => n.Id == a.SupersededById).Select(n => (DateTime?)n.IssuedAt).FirstOrDefault()));

    private async Task<string> NewCodeAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        while (true)
        {
            var chars = RandomNumberGenerator.GetItems<char>(CodeAlphabet, 12);
            var code = $"{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}";
            if (!await db.Attestations.AnyAsync(a => a.VerificationCode == code, ct))
            {
                return code;
            }
        }
    }
}
