using System.Text.Json;
using Compliance.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Audit;

/// <summary>
/// The chain proves no event was edited or removed from its middle, but not that its newest events were not cut off.
/// Every attestation carries the trail's head at issue in its signed snapshot (held by the customer, outside this
/// database): that event must still be in the trail with that hash, or events were deleted or rewritten since.
/// </summary>
public static class AuditAnchors
{
    public static async Task<List<AnchorBreak>> FindBrokenAsync(ComplianceDb db, CancellationToken ct = default)
    {
        var attestations = await db.Attestations.AsNoTracking().OrderBy(a => a.Id)
            .Select(a => new { a.VerificationCode, a.IssuedAt, a.SnapshotJson }).ToListAsync(ct);
        var broken = new List<AnchorBreak>();
        foreach (var a in attestations)
        {
            if (HeadOf(a.SnapshotJson) is not var (eventId, hash))
            {
                continue; // issued before attestations carried the head (snapshot schema 1)
            }

            var found = await db.AuditEvents.AsNoTracking().Where(e => e.Id == eventId).Select(e => e.Hash).FirstOrDefaultAsync(ct);
            if (found != hash)
            {
                broken.Add(new AnchorBreak(a.VerificationCode, a.IssuedAt, eventId,
                    found is null ? "the trail no longer has that event: events were deleted after it" : "that event's hash differs: it was rewritten"));
            }
        }

        return broken;
    }

    /// <summary>
    /// The anchors written outside the database (<see cref="AuditAnchorLog"/>): each names an event that must still be in
    /// the trail with that hash. They survive a cut that also deletes the attestations from the database.
    /// </summary>
    public static async Task<List<AnchorBreak>> FindBrokenAsync(ComplianceDb db, IReadOnlyList<AuditAnchor> external, CancellationToken ct = default)
    {
        var broken = new List<AnchorBreak>();
        foreach (var anchor in external)
        {
            var found = await db.AuditEvents.AsNoTracking().Where(e => e.Id == anchor.EventId).Select(e => e.Hash).FirstOrDefaultAsync(ct);
            if (found != anchor.Hash)
            {
                broken.Add(new AnchorBreak(anchor.Reason, anchor.At, anchor.EventId,
                    found is null ? "the trail no longer has that event: events were deleted after it" : "that event's hash differs: it was rewritten"));
            }
        }

        return broken;
    }

    // Only the head is read: a snapshot of ten thousand bindings need not be deserialised for it.
    private static (long EventId, string Hash)? HeadOf(string snapshotJson)
    {
        using var json = JsonDocument.Parse(snapshotJson);
        return json.RootElement.TryGetProperty("auditHead", out var head) && head.ValueKind == JsonValueKind.Object
            ? (head.GetProperty("eventId").GetInt64(), head.GetProperty("hash").GetString()!)
            : null;
    }
}

/// <summary>An anchor whose event is gone or differs: <paramref name="VerificationCode"/> names the attestation (or the external anchor's reason).</summary>
public sealed record AnchorBreak(string VerificationCode, DateTime IssuedAt, long EventId, string Why);
