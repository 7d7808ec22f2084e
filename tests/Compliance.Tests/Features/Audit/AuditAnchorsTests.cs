using Compliance.Data.Audit;
using Compliance.Tests.Features.Attestations;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace Compliance.Tests.Features.Audit;

/// <summary>
/// Each attestation carries the audit trail's head out of the database in its signed PDF and snapshot, so cutting the
/// newest events off the trail — which leaves a shorter chain that still verifies — is found.
/// </summary>
public sealed class AuditAnchorsTests : IClassFixture<AttestationFixture>
{
    private readonly AttestationFixture _fixture;

    public AuditAnchorsTests(AttestationFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task An_attestation_records_the_newest_audit_event_and_prints_it()
    {
        long newest;
        string hash;
        await using (var db = _fixture.Database.Create())
        {
            (newest, hash) = await db.AuditEvents.OrderByDescending(e => e.Id).Select(e => ValueTuple.Create(e.Id, e.Hash)).FirstAsync();
        }

        var issued = await _fixture.Service.IssueAsync(_fixture.GlobexId, "officer", "Anchored.");

        await using var read = _fixture.Database.Create();
        var stored = await read.Attestations.AsNoTracking().SingleAsync(a => a.Id == issued.Id);
        var snapshot = AttestationSnapshot.FromJson(stored.SnapshotJson);
        Assert.Equal(new SnapshotAuditHead(newest, hash), snapshot.AuditHead);
        using var pdf = PdfDocument.Open(stored.Pdf);
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains($"#{newest},", text);
        Assert.Contains(hash[..16], text);
        Assert.Empty(await AuditAnchors.FindBrokenAsync(read));
    }

    [Fact]
    public async Task Cutting_the_newest_events_off_leaves_a_valid_chain_but_breaks_an_attestations_anchor()
    {
        var issued = await _fixture.Service.IssueAsync(_fixture.InitechId, "officer", "Before the cut.");
        await using var db = _fixture.Database.Create();
        var anchor = AttestationSnapshot.FromJson((await db.Attestations.AsNoTracking().SingleAsync(a => a.Id == issued.Id)).SnapshotJson).AuditHead!;

        await db.Database.ExecuteSqlAsync($"DELETE FROM AuditEvents WHERE Id >= {anchor.EventId}");

        Assert.Null(await AuditTrail.VerifyAsync(db)); // the chain alone cannot tell
        var broken = Assert.Single(await AuditAnchors.FindBrokenAsync(db), b => b.VerificationCode == issued.VerificationCode);
        Assert.Equal(anchor.EventId, broken.EventId);
        Assert.Contains("deleted", broken.Why);
    }
}
