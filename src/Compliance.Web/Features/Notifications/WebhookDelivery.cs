using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Compliance.Data;
using Compliance.Domain;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Notifications;

/// <summary>
/// The Hangfire job that posts one event to one webhook, signed. A non-2xx answer (or none) throws, so Hangfire retries
/// it. The HTTP client is behind the outbound guard: public addresses only, no redirects followed, https outside Development.
/// </summary>
public sealed class WebhookDelivery(
    HttpClient http,
    IOptions<NotificationOptions> options,
    IDbContextFactory<ComplianceDb> factory,
    WebhookSecrets secrets,
    TimeProvider clock,
    ILogger<WebhookDelivery> log)
{
    /// <summary>Who the delivery records are attributed to on the audit trail.</summary>
    public const string Actor = "system:webhooks";

    /// <summary>A webhook configured in appsettings (by URL); its secret is read from configuration now.</summary>
    [AutomaticRetry(Attempts = 10, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task DeliverAsync(string url, string type, string eventId, string body, CancellationToken ct)
    {
        var webhook = options.Value.Webhooks.FirstOrDefault(w => string.Equals(w.Url, url, StringComparison.Ordinal));
        if (webhook is null || string.IsNullOrEmpty(webhook.Secret))
        {
            // Removed from configuration since the event was queued: nobody to sign for, nothing to retry.
            log.LogWarning("Webhook {Url} is no longer configured (or has no secret); event {Type} {Id} dropped", WebhookOptions.ForLog(url), type, eventId);
            return;
        }

        var (status, reason, _, error) = await PostAsync(url, webhook.Secret, legacySignature: true, type, eventId, body, ct);
        ThrowUnlessSuccess(url, type, eventId, status, reason, error);
    }

    /// <summary>A webhook managed in the UI, by id: skipped when deleted or disabled since; each attempt is recorded.</summary>
    [AutomaticRetry(Attempts = 10, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task DeliverToAsync(int webhookId, string type, string eventId, string body, CancellationToken ct)
    {
        var record = await AttemptAsync(webhookId, type, eventId, body, requireEnabled: true, ct);
        if (record is not null)
        {
            ThrowUnlessSuccess($"webhook {webhookId}", type, eventId, record.StatusCode, record.Error);
        }
    }

    /// <summary>Posts once and records the attempt (status, time taken, error); null when the webhook is gone (or disabled, if required).</summary>
    public async Task<WebhookDeliveryRecord?> AttemptAsync(int webhookId, string type, string eventId, string body, bool requireEnabled, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == webhookId, ct);
        if (webhook is null || (requireEnabled && !webhook.Enabled))
        {
            log.LogInformation("Webhook {Id} was deleted or disabled; event {Type} {EventId} not sent", webhookId, type, eventId);
            return null;
        }

        var at = clock.GetUtcNow().UtcDateTime;
        var (status, reason, ms, _) = await PostAsync(webhook.Url, secrets.Unprotect(webhook.ProtectedSecret), legacySignature: false, type, eventId, body, ct);
        var record = new WebhookDeliveryRecord
        {
            WebhookId = webhookId, EventId = eventId, EventType = type, At = at, StatusCode = status, DurationMs = ms,
            Error = status is >= 200 and < 300 ? null : Truncate(reason, 1000),
        };
        db.As(Actor).WebhookDeliveries.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    private async Task<(int? Status, string? Reason, int Ms, Exception? Error)> PostAsync(string url, string secret, bool legacySignature, string type, string eventId, string body, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampedHeader, WebhookSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), bytes));
        if (legacySignature)
        {
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(secret, bytes));
        }

        request.Headers.Add(WebhookSignature.EventHeader, type);
        request.Headers.Add(WebhookSignature.DeliveryHeader, eventId);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request, ct);
            // A redirect is an answer like any other non-2xx: it is never followed (the target could be internal).
            log.LogInformation("Event {Type} {Id} posted to {Url}: {Status}", type, eventId, WebhookOptions.ForLog(url), (int)response.StatusCode);
            return ((int)response.StatusCode, $"{(int)response.StatusCode} {response.ReasonPhrase}", (int)watch.ElapsedMilliseconds, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LogWarning("Event {Type} {Id} could not reach {Url}: {Error}", type, eventId, WebhookOptions.ForLog(url), ex.Message);
            return (null, ex.Message, (int)watch.ElapsedMilliseconds, ex);
        }
    }

    private static void ThrowUnlessSuccess(string target, string type, string eventId, int? status, string? reason, Exception? error = null)
    {
        if (status is not (>= 200 and < 300))
        {
            var where = target.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? WebhookOptions.ForLog(target) : target;
            throw new WebhookDeliveryException($"Webhook {where} answered {reason ?? "nothing"} to event {type} {eventId}; Hangfire will retry.", error);
        }
    }

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}

/// <summary>A delivery that got no 2xx; the network error (an outbound refusal among them) is its inner exception.</summary>
public sealed class WebhookDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
