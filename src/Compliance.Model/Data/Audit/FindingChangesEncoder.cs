using System.Buffers;
using System.Text;
using System.Text.Json;
using Compliance.Domain;

namespace Compliance.Data.Audit;

/// <summary>
/// Writes a <see cref="FindingChanges"/> event in one pass over rows that arrive in ascending id order (the check's
/// writer reads them back that way): each row goes into the JSON and the digest as it comes, so recording a run's
/// changes costs their encoded bytes, not an object per row. The layout is <see cref="FindingChanges.Encode"/>'s.
/// </summary>
public sealed class FindingChangesEncoder : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;
    private readonly FindingDigest _digest = new();
    private readonly Dictionary<string, int> _texts = new(StringComparer.Ordinal);
    private readonly DateTime _seenAt;
    private readonly int? _checkRunId;
    private readonly IReadOnlyList<long>? _seen;

    public FindingChangesEncoder(DateTime seenAt, int? checkRunId, IReadOnlyList<long>? seen)
    {
        (_seenAt, _checkRunId, _seen) = (seenAt, checkRunId, seen);
        _json = new Utf8JsonWriter(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber("v", FindingChanges.CurrentVersion);
        _json.WriteStartArray("rows");
    }

    public int Count { get; private set; }

    /// <summary>True when replaying the event would change nothing (no rows, and a stamp over no ids).</summary>
    public bool IsEmpty => Count == 0 && _seen is { Count: 0 };

    /// <summary>Adds a row; the instance may be reused by the caller for the next one.</summary>
    public void Add(Finding r)
    {
        _digest.Add(r);
        Count++;
        if (!_texts.TryGetValue(r.Detail, out var detail))
        {
            _texts[r.Detail] = detail = _texts.Count;
        }

        _json.WriteStartArray();
        _json.WriteNumberValue(r.Id);
        _json.WriteNumberValue(r.BindingId);
        _json.WriteNumberValue((int)r.Rule);
        _json.WriteNumberValue((int)r.Severity);
        _json.WriteNumberValue((int)r.Status);
        _json.WriteNumberValue(r.FirstSeen.Ticks);
        _json.WriteNumberValue(r.LastSeen.Ticks);
        Nullable(r.ResolvedAt?.Ticks);
        _json.WriteNumberValue(detail);
        Nullable(r.RestrictionId);
        Nullable(r.ApprovalId);
        Nullable(r.LastCheckRunId);
        _json.WriteEndArray();
    }

    /// <summary>The event's After: the rows so far, then their count, digest, stamp and shared texts.</summary>
    public string Finish()
    {
        _json.WriteEndArray();
        _json.WriteNumber("count", Count);
        _json.WriteString("digest", _digest.Finish(_seenAt, _checkRunId, _seen));
        _json.WriteNumber("seenAt", _seenAt.Ticks);
        if (_checkRunId is { } run)
        {
            _json.WriteNumber("run", run);
        }

        if (_seen is not null)
        {
            _json.WriteStartArray("seen");
            foreach (var id in _seen)
            {
                _json.WriteNumberValue(id);
            }

            _json.WriteEndArray();
        }

        _json.WriteStartArray("texts");
        foreach (var text in _texts.Keys)
        {
            _json.WriteStringValue(text);
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    public void Dispose()
    {
        _json.Dispose();
        _digest.Dispose();
    }

    private void Nullable(long? value)
    {
        if (value is { } v)
        {
            _json.WriteNumberValue(v);
        }
        else
        {
            _json.WriteNullValue();
        }
    }
}
