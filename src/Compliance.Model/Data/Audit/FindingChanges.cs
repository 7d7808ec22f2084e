using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Compliance.Domain;

namespace Compliance.Data.Audit;

/// <summary>
/// What one check run (or one model's re-check) did to the findings, recorded as ONE audit event: the changed rows
/// in their final state, the "last seen" stamp the run put on every other active finding, and a SHA-256 digest over
/// both with the row count. The check writes findings with plain ADO.NET for speed (ADR 003); a hundred thousand
/// per-row events would cost more than the run itself, one compact event costs tens of milliseconds. Verification
/// recomputes the digest; the drift comparison replays finding state from these events (<see cref="ApplyTo"/>).
/// </summary>
public sealed class FindingChanges
{
    /// <summary>The audit event's <see cref="AuditEvent.Entity"/> (plural: a set of Finding rows, not one).</summary>
    public const string Entity = "Findings";

    /// <summary>The layout and digest <see cref="Encode"/> writes (<see cref="FindingDigest"/>).</summary>
    public const int CurrentVersion = 2;

    /// <summary>The version the event was written in: decoding an older event keeps its digest rule.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The LastSeen the run stamped on active findings it did not otherwise change.</summary>
    public required DateTime SeenAt { get; init; }

    /// <summary>The LastCheckRunId the stamp set (a full run); null when the stamp left it alone (a model re-check).</summary>
    public int? CheckRunId { get; init; }

    /// <summary>Ids the stamp touched when it was not every active finding (a model re-check); null means every active one.</summary>
    public IReadOnlyList<long>? Seen { get; init; }

    /// <summary>Inserted, updated, re-opened, resolved, waived or re-opened-after-waiver rows, as the table holds them after the run.</summary>
    public required IReadOnlyList<Finding> Rows { get; init; }

    /// <summary>True when replaying this event would change nothing (no rows, and a stamp over no ids).</summary>
    public bool IsEmpty => Rows.Count == 0 && Seen is { Count: 0 };

    /// <summary>The stamp, then the rows (their final state wins): the table after the run, given the table before it.</summary>
    public void ApplyTo(Dictionary<long, Finding> findings)
    {
        if (Seen is null)
        {
            foreach (var f in findings.Values)
            {
                Stamp(f);
            }
        }
        else
        {
            foreach (var id in Seen)
            {
                if (findings.TryGetValue(id, out var f))
                {
                    Stamp(f);
                }
            }
        }

        foreach (var row in Rows)
        {
            findings[row.Id] = row;
        }
    }

    private void Stamp(Finding f)
    {
        if (f.Status == FindingStatus.Resolved)
        {
            return;
        }

        f.LastSeen = SeenAt;
        if (CheckRunId is { } run)
        {
            f.LastCheckRunId = run;
        }
    }

    /// <summary>
    /// SHA-256 over the rows sorted by id, one canonical line each, and the stamp with their count: the same bytes
    /// whatever order the writer collected them in. Events of version 1 hashed the count and stamp first.
    /// </summary>
    public string Digest()
    {
        if (Version == 1)
        {
            return DigestVersion1();
        }

        using var digest = new FindingDigest();
        foreach (var r in Rows.OrderBy(r => r.Id))
        {
            digest.Add(r);
        }

        return digest.Finish(SeenAt, CheckRunId, Seen);
    }

    private string DigestVersion1()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sb = new StringBuilder(256);
        FindingDigest.AppendStamp(sb, Rows.Count, SeenAt, CheckRunId, Seen);
        FindingDigest.Feed(hash, sb);
        foreach (var r in Rows.OrderBy(r => r.Id))
        {
            FindingDigest.AppendRow(sb, r);
            FindingDigest.Feed(hash, sb);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The event's After: <c>{"v","rows","count","digest","seenAt","run","seen","texts"}</c>. A row is an array of numbers:
    /// id, binding, rule, severity, status, first seen, last seen, resolved at, detail, restriction, approval, run —
    /// times as ticks, the detail as an index into <c>texts</c> (a run shares a few hundred explanations among
    /// its rows), absent values as null. Rows are in id order; <see cref="FindingChangesEncoder"/> writes it.
    /// </summary>
    public string Encode()
    {
        using var encoder = new FindingChangesEncoder(SeenAt, CheckRunId, Seen);
        foreach (var r in Rows.OrderBy(r => r.Id))
        {
            encoder.Add(r);
        }

        return encoder.Finish();
    }

    /// <summary>Reads an event's After back, with the count and digest it claims (verification compares them with <see cref="Digest"/>).</summary>
    public static (FindingChanges Changes, int Count, string Digest) Decode(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var texts = root.GetProperty("texts").EnumerateArray().Select(t => t.GetString() ?? "").ToArray();
        var rows = new List<Finding>(root.GetProperty("rows").GetArrayLength());
        foreach (var a in root.GetProperty("rows").EnumerateArray())
        {
            rows.Add(new Finding
            {
                Id = a[0].GetInt64(),
                BindingId = a[1].GetInt32(),
                Rule = (FindingRule)a[2].GetInt32(),
                Severity = (Severity)a[3].GetInt32(),
                Status = (FindingStatus)a[4].GetInt32(),
                FirstSeen = Utc(a[5].GetInt64()),
                LastSeen = Utc(a[6].GetInt64()),
                ResolvedAt = a[7].ValueKind == JsonValueKind.Null ? null : Utc(a[7].GetInt64()),
                Detail = texts[a[8].GetInt32()],
                RestrictionId = a[9].ValueKind == JsonValueKind.Null ? null : a[9].GetInt32(),
                ApprovalId = a[10].ValueKind == JsonValueKind.Null ? null : a[10].GetInt32(),
                LastCheckRunId = a[11].ValueKind == JsonValueKind.Null ? null : a[11].GetInt32(),
            });
        }

        var changes = new FindingChanges
        {
            Version = root.GetProperty("v").GetInt32(),
            SeenAt = Utc(root.GetProperty("seenAt").GetInt64()),
            CheckRunId = root.TryGetProperty("run", out var run) ? run.GetInt32() : null,
            Seen = root.TryGetProperty("seen", out var seen) ? [.. seen.EnumerateArray().Select(s => s.GetInt64())] : null,
            Rows = rows,
        };
        return (changes, root.GetProperty("count").GetInt32(), root.GetProperty("digest").GetString() ?? "");
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);
}
