using Compliance.Domain;
using Compliance.Web.Features.Attestations;

namespace Compliance.Tests.Features.Attestations;

/// <summary>The words /verify, the portal and the API use for an attestation's standing: never a bare "current" when it is not.</summary>
public sealed class AttestationStandingTests
{
    private static readonly DateTime At = new(2026, 11, 29, 12, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void A_current_attestation_that_still_holds_reads_current()
    {
        var s = AttestationStanding.Of(AttestationStatus.Current, null, null, null, null, null, null);

        Assert.Equal("current", s.Headline);
        Assert.Equal(AttestationStandingKind.Current, s.Kind);
    }

    [Fact]
    public void A_stale_attestation_reads_stale_since_with_the_reason()
    {
        var s = AttestationStanding.Of(AttestationStatus.Current, At, "a restriction took effect for m on W", null, null, null, null);

        Assert.Equal("stale since 29 November 2026", s.Headline);
        Assert.Contains("stale since 29 November 2026, 12:30 UTC because a restriction took effect for m on W", s.Detail);
        Assert.Equal(AttestationStandingKind.Stale, s.Kind);
    }

    [Fact]
    public void A_superseded_attestation_reads_valid_but_superseded_on_the_day_with_the_next_code()
    {
        var s = AttestationStanding.Of(AttestationStatus.Superseded, At.AddDays(-3), "ignored once superseded", At, "ABCD-EFGH-JK23", null, null);

        Assert.Equal("valid, but superseded on 29 November 2026", s.Headline);
        Assert.Contains("ABCD-EFGH-JK23", s.Detail);
        Assert.Equal(AttestationStandingKind.Superseded, s.Kind);
    }

    [Fact]
    public void A_withdrawn_attestation_reads_withdrawn_with_its_reason()
    {
        var s = AttestationStanding.Of(AttestationStatus.Withdrawn, null, null, null, null, At, "issued in error");

        Assert.Equal("withdrawn on 29 November 2026", s.Headline);
        Assert.Contains("issued in error", s.Detail);
    }
}
