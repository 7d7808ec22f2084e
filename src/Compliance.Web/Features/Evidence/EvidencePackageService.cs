using System.Globalization;
using System.IO.Compression;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Audit;
using Compliance.Web.Features.Inventory.Import;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Evidence;

/// <summary>What an evidence package covers: one customer or the whole inventory (null), over a period [From, Until).</summary>
public sealed record EvidenceScope(int? CustomerId, DateTime From, DateTime Until);

/// <summary>
/// The evidence an assessor or contracting officer asks for, as one ZIP: the customer's current attestation (PDF and
/// JSON), findings, waivers and transition plans (CSV), a POA&amp;M of the open findings, the audit trail of the period
/// (JSON Lines) with its chain proof, the controls mapping and a README on verifying it offline. Officers and auditors
/// only; each package built is recorded (and so on the audit trail) with its SHA-256.
/// </summary>
public sealed class EvidencePackageService(IDbContextFactory<ComplianceDb> factory, AuditAnchorLog anchors, TimeProvider clock)
{
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366 * 3);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Writes the ZIP to <paramref name="output"/> (seekable: it is hashed afterwards) and records the package.</summary>
    public async Task<Outcome<EvidencePackage>> BuildAsync(ClaimsPrincipal by, EvidenceScope scope, Stream output, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.ComplianceOfficer) && !by.ActsAs(Roles.Auditor))
        {
            return Outcome<EvidencePackage>.Refused("Only compliance officers and auditors may build an evidence package.");
        }

        var from = DateTime.SpecifyKind(scope.From, DateTimeKind.Utc);
        var until = DateTime.SpecifyKind(scope.Until, DateTimeKind.Utc);
        if (until <= from)
        {
            return Outcome<EvidencePackage>.Invalid(new FieldError("until", $"The period must end after it starts ({from:yyyy-MM-dd})."));
        }

        if (until - from > MaxPeriod)
        {
            return Outcome<EvidencePackage>.Invalid(new FieldError("from", "A package covers at most three years; build one per period."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        Customer? customer = null;
        if (scope.CustomerId is { } customerId && (customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == customerId, ct)) is null)
        {
            return Outcome<EvidencePackage>.Missing($"There is no customer {customerId}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var files = new List<(string Name, string Sha256)>();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            if (customer is not null)
            {
                await AttestationAsync(db, zip, customer.Id, files, ct);
            }

            await EvidenceCsv.FindingsAsync(db, zip, scope.CustomerId, files, ct);
            await EvidenceCsv.WaiversAsync(db, zip, scope.CustomerId, files, ct);
            await EvidenceCsv.PlansAsync(db, zip, scope.CustomerId, files, ct);
            await EvidenceCsv.PoamAsync(db, zip, scope.CustomerId, files, ct);
            var proof = await AuditSliceAsync(db, zip, from, until, files, ct);
            await AddAsync(zip, "chain-proof.json", JsonSerializer.Serialize(proof with { Anchors = await AnchorsAsync(from, until, ct) }, Json), files, ct);
            await AddAsync(zip, "controls.md", ControlsMapping.Text, files, ct);
            await AddAsync(zip, "README.md", EvidenceReadme.Text(customer?.Name, from, until, now, by.ActorName()), files, ct);
            await AddAsync(zip, "manifest.json", JsonSerializer.Serialize(new { builtAt = now, builtBy = by.ActorName(), customer = customer?.Name, from, until, files = files.Select(f => new { name = f.Name, sha256 = f.Sha256 }) }, Json), [], ct);
        }

        output.Position = 0;
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(output, ct));
        var package = new EvidencePackage
        {
            CustomerId = scope.CustomerId, PeriodFrom = from, PeriodUntil = until, BuiltBy = by.ActorName(), BuiltAt = now, Sha256 = sha, SizeBytes = output.Length,
        };
        db.As(by.ActorName(), $"Evidence package for {customer?.Name ?? "the whole inventory"}, {from:yyyy-MM-dd} to {until:yyyy-MM-dd}").EvidencePackages.Add(package);
        await db.SaveChangesAsync(ct);
        output.Position = 0;
        return Outcome<EvidencePackage>.Ok(package);
    }

    /// <summary>The chain proof: the slice's first and last events, the hash the first one chains to, and the anchors.</summary>
    public sealed record ChainProof(long Events, long? FirstId, string? FirstPreviousHash, string? FirstHash, long? LastId, string? LastHash, IReadOnlyList<AuditAnchor> Anchors);

    private static async Task<ChainProof> AuditSliceAsync(ComplianceDb db, ZipArchive zip, DateTime from, DateTime until, List<(string, string)> files, CancellationToken ct)
    {
        long count = 0;
        AuditEvent? first = null, last = null;
        await WriteAsync(zip, "audit-trail.jsonl", files, async writer =>
        {
            await foreach (var e in db.AuditEvents.AsNoTracking().Where(e => e.At >= from && e.At < until).OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
            {
                first ??= e;
                last = e;
                count++;
                await writer.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    e.Id, e.At, e.User, e.UserName, e.Action, e.Entity, e.EntityKey, e.Before, e.After, e.Reason, e.PreviousHash, e.Hash,
                }, Json));
            }
        });
        return new ChainProof(count, first?.Id, first?.PreviousHash, first?.Hash, last?.Id, last?.Hash, []);
    }

    private async Task<IReadOnlyList<AuditAnchor>> AnchorsAsync(DateTime from, DateTime until, CancellationToken ct)
    {
        var (all, _) = await anchors.ReadAsync(ct);
        return [.. all.Where(a => a.At >= from && a.At < until.AddDays(1))];
    }

    private static async Task AttestationAsync(ComplianceDb db, ZipArchive zip, int customerId, List<(string, string)> files, CancellationToken ct)
    {
        var current = await db.Attestations.AsNoTracking().Where(a => a.CustomerId == customerId && a.Status == AttestationStatus.Current)
            .OrderByDescending(a => a.IssuedAt).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            return;
        }

        await AddAsync(zip, $"attestation-{current.VerificationCode}.pdf", current.Pdf, files, ct);
        await AddAsync(zip, $"attestation-{current.VerificationCode}.json", Encoding.UTF8.GetBytes(current.SnapshotJson), files, ct);
    }

    internal static Task AddAsync(ZipArchive zip, string name, string text, List<(string, string)> files, CancellationToken ct) =>
        AddAsync(zip, name, Encoding.UTF8.GetBytes(text), files, ct);

    private static async Task AddAsync(ZipArchive zip, string name, byte[] content, List<(string, string)> files, CancellationToken ct)
    {
        await using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        await stream.WriteAsync(content, ct);
        files.Add((name, Convert.ToHexStringLower(SHA256.HashData(content))));
    }

    /// <summary>Streams one text entry through a hashing writer, so a large CSV never sits in memory whole.</summary>
    internal static async Task WriteAsync(ZipArchive zip, string name, List<(string, string)> files, Func<StreamWriter, Task> write)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open())
        await using (var hashing = new HashingStream(entry, hash))
        await using (var writer = new StreamWriter(hashing, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" })
        {
            await write(writer);
        }

        files.Add((name, Convert.ToHexStringLower(hash.GetHashAndReset())));
    }

    internal static string Day(DateTime? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    internal static string Time(DateTime? value) => value?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "";

    internal static string Row(params object?[] cells) => Csv.Line(cells.Select(c => c switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => c.ToString(),
    }));

    /// <summary>A write-only stream that hashes what passes through it.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
