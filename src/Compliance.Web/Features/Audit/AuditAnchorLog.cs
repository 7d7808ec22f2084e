using System.Text;
using System.Text.Json;

namespace Compliance.Web.Features.Audit;

/// <summary>One head of the trail written outside the database: which event, its hash, when and why.</summary>
public sealed record AuditAnchor(DateTime At, long EventId, string Hash, string Reason);

/// <summary>
/// Writes the trail's head outside the database — appended to a file (one JSON line each, never rewritten) and,
/// when configured, POSTed to a webhook — at each attestation and after each verification. Someone who can rewrite
/// the database (cut the newest events and the attestations that anchor them) cannot reach these copies, so the next
/// verification finds the cut (<see cref="AuditAnchors"/>). Writing an anchor never fails the operation it follows:
/// a failure is logged and the next anchor covers it.
/// </summary>
public sealed class AuditAnchorLog(string filePath, Uri? webhook, IHttpClientFactory? http, ILogger<AuditAnchorLog> log)
{
    public const string HttpClientName = "audit-anchors";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _oneWriter = new(1, 1);

    public string FilePath => filePath;

    public async Task AppendAsync(AuditAnchor anchor, CancellationToken ct = default)
    {
        var line = JsonSerializer.Serialize(anchor, Json) + "\n";
        await _oneWriter.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(filePath))!);
            // FileMode.Append: the OS positions every write at the end; nothing before it is touched.
            await using var file = new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.Read);
            await file.WriteAsync(Encoding.UTF8.GetBytes(line), ct);
            await file.FlushAsync(ct);
        }
        catch (IOException ex)
        {
            log.LogError(ex, "Could not append the audit anchor (event {EventId}) to {File}", anchor.EventId, filePath);
        }
        finally
        {
            _oneWriter.Release();
        }

        if (webhook is not null && http is not null)
        {
            try
            {
                using var response = await http.CreateClient(HttpClientName).PostAsJsonAsync(webhook, anchor, Json, ct);
                response.EnsureSuccessStatusCode();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                log.LogError(ex, "Could not post the audit anchor (event {EventId}) to the anchor webhook", anchor.EventId);
            }
        }
    }

    /// <summary>The anchors in the file, oldest first, with the line numbers of lines that cannot be read (a tampered file).</summary>
    public async Task<(List<AuditAnchor> Anchors, List<int> UnreadableLines)> ReadAsync(CancellationToken ct = default)
    {
        var anchors = new List<AuditAnchor>();
        var unreadable = new List<int>();
        if (!File.Exists(filePath))
        {
            return (anchors, unreadable);
        }

        var number = 0;
        await foreach (var line in File.ReadLinesAsync(filePath, ct))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                anchors.Add(JsonSerializer.Deserialize<AuditAnchor>(line, Json) ?? throw new JsonException("empty"));
            }
            catch (JsonException)
            {
                unreadable.Add(number);
            }
        }

        return (anchors, unreadable);
    }
}
