using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Compliance.Domain;

namespace Compliance.Data.Audit;

/// <summary>
/// The SHA-256 a <see cref="FindingChanges"/> event carries: one canonical line per row in ascending id order, then
/// the count and the stamp (version 2; version 1 put the count first, which needed every row before the first byte).
/// </summary>
internal sealed class FindingDigest : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly StringBuilder _text = new(256);
    private long _lastId = long.MinValue;
    private int _count;

    public void Add(Finding r)
    {
        if (r.Id <= _lastId)
        {
            throw new InvalidOperationException($"Finding changes are digested in ascending id order; {r.Id} came after {_lastId}.");
        }

        _lastId = r.Id;
        _count++;
        AppendRow(_text, r);
        Feed(_hash, _text);
    }

    public string Finish(DateTime seenAt, int? checkRunId, IReadOnlyList<long>? seen)
    {
        AppendStamp(_text, _count, seenAt, checkRunId, seen);
        Feed(_hash, _text);
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public void Dispose() => _hash.Dispose();

    internal static void AppendStamp(StringBuilder sb, int count, DateTime seenAt, int? checkRunId, IReadOnlyList<long>? seen)
    {
        sb.Append(CultureInfo.InvariantCulture, $"count={count}\nseenAt={Time(seenAt)}\nrun={checkRunId}\nseen=");
        if (seen is null)
        {
            sb.Append('*');
        }
        else
        {
            foreach (var id in seen.Order())
            {
                sb.Append(CultureInfo.InvariantCulture, $"{id},");
            }
        }

        sb.Append('\n');
    }

    internal static void AppendRow(StringBuilder sb, Finding r) => sb.Append(CultureInfo.InvariantCulture,
        $"{r.Id}|{r.BindingId}|{(int)r.Rule}|{(int)r.Severity}|{(int)r.Status}|{Time(r.FirstSeen)}|{Time(r.LastSeen)}|{(r.ResolvedAt is { } d ? Time(d) : "")}|{r.RestrictionId}|{r.ApprovalId}|{r.LastCheckRunId}|{r.Detail}\n");

    internal static void Feed(IncrementalHash hash, StringBuilder sb)
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
}
