using Compliance.Domain;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// What an attestation's standing is, in the words <c>/verify</c> and the customer's pages both use: never a bare
/// "current" when a later evaluation disagrees, and a superseded one says when it was replaced.
/// </summary>
public sealed record AttestationStanding(string Headline, string Detail, AttestationStandingKind Kind)
{
    public static AttestationStanding Of(
        AttestationStatus status, DateTime? staleSince, string? staleReason, DateTime? supersededAt, string? supersededByCode,
        DateTime? withdrawnAt, string? withdrawalReason) => status switch
    {
        AttestationStatus.Withdrawn => new($"withdrawn on {Day(withdrawnAt)}",
            $"Withdrawn on {Stamp(withdrawnAt)}: {withdrawalReason}. Do not rely on it.", AttestationStandingKind.Withdrawn),
        AttestationStatus.Superseded => new(
            supersededAt is null ? "valid, but superseded" : $"valid, but superseded on {Day(supersededAt)}",
            $"It was accurate as of its date; a newer attestation{(supersededByCode is null ? "" : $" ({supersededByCode})")} replaced it"
                + (supersededAt is null ? "." : $" on {Stamp(supersededAt)}."), AttestationStandingKind.Superseded),
        _ when staleSince is not null => new($"stale since {Day(staleSince)}",
            $"Valid as issued, but stale since {Stamp(staleSince)} because {staleReason ?? "the inventory changed"}. "
                + "A new attestation is being prepared; until then the statement no longer describes today's inventory.",
            AttestationStandingKind.Stale),
        _ => new("current", "This is the customer's current attestation, and the latest evaluation still agrees with its statement.",
            AttestationStandingKind.Current),
    };

    public static string Stamp(DateTime? utc) =>
        utc?.ToString("d MMMM yyyy, HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "an unknown date";

    private static string Day(DateTime? utc) => utc?.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}

public enum AttestationStandingKind
{
    Current,
    Stale,
    Superseded,
    Withdrawn,
}
