using Compliance.Data;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using QRCoder;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Attestations;

/// <summary>What the attestation pages and the customer API read beyond the list: one snapshot, a diff of two, a QR code.</summary>
public sealed class AttestationComparison(IDbContextFactory<ComplianceDb> dbFactory)
{
    /// <summary>The frozen snapshot of an attestation the scope may see; null otherwise (404, so ids don't leak).</summary>
    public async Task<AttestationSnapshot?> SnapshotAsync(int id, CustomerScope scope, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var json = await db.Attestations.AsNoTracking().VisibleTo(scope).Where(a => a.Id == id).Select(a => a.SnapshotJson).FirstOrDefaultAsync(ct);
        return json is null ? null : AttestationSnapshot.FromJson(json);
    }

    /// <summary>
    /// What changed from attestation <paramref name="from"/> to <paramref name="to"/>: both must be visible to the scope
    /// (else "not found") and of the same customer (else the field <c>b</c> is named).
    /// </summary>
    public async Task<Outcome<AttestationDiff>> DiffAsync(int from, int to, CustomerScope scope, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Attestations.AsNoTracking().VisibleTo(scope).Where(a => a.Id == from || a.Id == to)
            .Select(a => new { a.Id, a.CustomerId, a.SnapshotJson }).ToListAsync(ct);
        if (rows.FirstOrDefault(r => r.Id == from) is not { } a)
        {
            return Outcome<AttestationDiff>.Missing($"There is no attestation {from}.");
        }

        if (rows.FirstOrDefault(r => r.Id == to) is not { } b)
        {
            return Outcome<AttestationDiff>.Missing($"There is no attestation {to}.");
        }

        return a.CustomerId != b.CustomerId
            ? Outcome<AttestationDiff>.Invalid(new FieldError("b", "Both attestations must be of the same customer."))
            : Outcome<AttestationDiff>.Ok(AttestationDiff.Compare(AttestationSnapshot.FromJson(a.SnapshotJson), AttestationSnapshot.FromJson(b.SnapshotJson)));
    }

    /// <summary>A PNG data URL of the QR code that leads to <paramref name="url"/> (the one printed on the PDF).</summary>
    public static string QrDataUrl(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(4));
    }
}
