using System.Globalization;

namespace Compliance.Web.Features.Evidence;

/// <summary>The package's README: what each file is and how to verify the package without the app.</summary>
internal static class EvidenceReadme
{
    public static string Text(string? customer, DateTime from, DateTime until, DateTime builtAt, string builtBy) => string.Create(CultureInfo.InvariantCulture, $$"""
        # Evidence package — {{customer ?? "whole inventory"}}

        Period {{from:yyyy-MM-dd}} to {{until:yyyy-MM-dd}} (end exclusive), built {{builtAt:yyyy-MM-dd HH:mm}} UTC by {{builtBy}}.
        The package's own SHA-256 is recorded in the app (and on its audit trail) when it is built.

        ## Files
        - `attestation-<code>.pdf` / `.json` — the customer's current attestation, if one was issued: the signed PDF and the
          frozen JSON snapshot it was rendered from. Verify the code at the app's `/verify` page; `pdfsig` checks the signature.
        - `findings.csv` — every finding (open, waived, resolved) with rule, severity, dates and the rule's explanation.
        - `waivers.csv` — every waiver: who accepted which finding until when, and why.
        - `transition-plans.csv` — every plan to move a restricted binding: target model, owner, target date, status.
        - `poam.csv` — Plan of Action and Milestones: each open or waived finding (warnings aside) as a weakness, with the
          control it affects, its remediation (transition plan or waiver), owner, milestone and scheduled completion.
        - `audit-trail.jsonl` — the audit events of the period, one JSON object per line, oldest first. It holds every
          event of the period, other customers' included, even in a customer's package: the chain can only be checked over
          consecutive events, so a slice filtered to one customer could not be verified.
        - `chain-proof.json` — the slice's first and last event ids and hashes, the hash the first event chains to, and the
          anchors (chain heads recorded outside the database) that fall in the period.
        - `controls.md` — how each rule and feature maps to NIST SP 800-53 and the NIST AI RMF.
        - `manifest.json` — every file above with its SHA-256.

        ## Verifying offline
        1. Files: `sha256sum` each file and compare with `manifest.json`.
        2. Chain: each line's `previousHash` must equal the `hash` of the line before it; the first line's `previousHash`
           equals `firstPreviousHash` in `chain-proof.json`, the last line's `hash` equals `lastHash`. A missing, added or
           altered line breaks the chain at that point.
        3. Hashes: each event's `hash` is SHA-256 over the event's canonical form as the app computes it (see
           docs/decisions/002-audit-trail.md); the app's audit page re-verifies the whole chain and reports the result.
        4. Anchors: each anchor in `chain-proof.json` names an event id and its hash; the same line must appear in the
           anchor log kept outside the database (file or webhook receiver). An anchor matching the slice proves the
           database's chain was not rewritten after the anchor was taken.
        """);
}
