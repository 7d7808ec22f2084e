using System.Buffers;
using System.Globalization;
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

    private const int Version = 1;

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
    /// SHA-256 over the stamp and the rows sorted by id, one canonical line each, and their count: the same bytes
    /// whatever order the writer collected them in.
    /// </summary>
    public string Digest()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sb = new StringBuilder(256);
        sb.Append(CultureInfo.InvariantCulture, $"count={Rows.Count}\nseenAt={Time(SeenAt)}\nrun={CheckRunId}\nseen=");
        if (Seen is null)
        {
            sb.Append('*');
        }
        else
        {
            foreach (var id in Seen.Order())
            {
                sb.Append(CultureInfo.InvariantCulture, $"{id},");
            }
        }

        sb.Append('\n');
        Feed(hash, sb);
        foreach (var r in Rows.OrderBy(r => r.Id))
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{r.Id}|{r.BindingId}|{(int)r.Rule}|{(int)r.Severity}|{(int)r.Status}|{Time(r.FirstSeen)}|{Time(r.LastSeen)}|{(r.ResolvedAt is { } d ? Time(d) : "")}|{r.RestrictionId}|{r.ApprovalId}|{r.LastCheckRunId}|{r.Detail}\n");
            Feed(hash, sb);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Feed(IncrementalHash hash, StringBuilder sb)
    {
        foreach (var chunk in sb.GetChunks())
        {
            var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(chunk.Length));
            var n = Encoding.UTF8.GetBytes(chunk.Span, bytes);
            hash.AppendData(bytes, 0, n);
            ArrayPool<byte>.Shared.Return(bytes);
        }

        sb.Clear();
    }

    private static string Time(DateTime d) => d.Ticks.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The event's After: <c>{"v","count","digest","seenAt","run","seen","texts","rows"}</c>. A row is an array of numbers:
    /// id, binding, rule, severity, status, first seen, last seen, resolved at, detail, restriction, approval, run —
    /// times as ticks, the detail as an index into <c>texts</c> (a run shares a few hundred explanations among
    /// its rows), absent values as null.
    /// </summary>
    public string Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (Rows.Count * 48));
        using (var w = new Utf8JsonWriter(buffer))
        {
            var texts = new Dictionary<string, int>(StringComparer.Ordinal);
            w.WriteStartObject();
            w.WriteNumber("v", Version);
            w.WriteNumber("count", Rows.Count);
            w.WriteString("digest", Digest());
            w.WriteNumber("seenAt", SeenAt.Ticks);
            if (CheckRunId is { } run)
            {
                w.WriteNumber("run", run);
            }

            if (Seen is not null)
            {
                w.WriteStartArray("seen");
                foreach (var id in Seen)
                {
                    w.WriteNumberValue(id);
                }

                w.WriteEndArray();
            }

            w.WriteStartArray("rows");
            foreach (var r in Rows)
            {
                if (!texts.TryGetValue(r.Detail, out var detail))
                {
                    texts[r.Detail] = detail = texts.Count;
                }

                w.WriteStartArray();
                w.WriteNumberValue(r.Id);
                w.WriteNumberValue(r.BindingId);
                w.WriteNumberValue((int)r.Rule);
                w.WriteNumberValue((int)r.Severity);
                w.WriteNumberValue((int)r.Status);
                w.WriteNumberValue(r.FirstSeen.Ticks);
                w.WriteNumberValue(r.LastSeen.Ticks);
                Nullable(w, r.ResolvedAt?.Ticks);
                w.WriteNumberValue(detail);
                Nullable(w, r.RestrictionId);
                Nullable(w, r.ApprovalId);
                Nullable(w, r.LastCheckRunId);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteStartArray("texts");
            foreach (var text in texts.Keys)
            {
                w.WriteStringValue(text);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Nullable(Utf8JsonWriter w, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumberValue(v);
        }
        else
        {
            w.WriteNullValue();
        }
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
            SeenAt = Utc(root.GetProperty("seenAt").GetInt64()),
            CheckRunId = root.TryGetProperty("run", out var run) ? run.GetInt32() : null,
            Seen = root.TryGetProperty("seen", out var seen) ? [.. seen.EnumerateArray().Select(s => s.GetInt64())] : null,
            Rows = rows,
        };
        return (changes, root.GetProperty("count").GetInt32(), root.GetProperty("digest").GetString() ?? "");
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);
}
