using System.Net.Http.Headers;
using System.Text;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Checks.Notifications;

/// <summary>The Hangfire job that posts one event to one webhook, signed. A non-2xx answer throws, so Hangfire retries it.</summary>
public sealed class WebhookDelivery(HttpClient http, IOptions<NotificationOptions> options, ILogger<WebhookDelivery> log)
{
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

        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(webhook.Secret, bytes));
        request.Headers.Add(WebhookSignature.EventHeader, type);
        request.Headers.Add(WebhookSignature.DeliveryHeader, eventId);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new WebhookDeliveryException(
                $"Webhook {WebhookOptions.ForLog(url)} answered {(int)response.StatusCode} {response.ReasonPhrase} to event {type} {eventId}; Hangfire will retry.");
        }

        log.LogInformation("Event {Type} {Id} delivered to {Url} ({Status})", type, eventId, WebhookOptions.ForLog(url), (int)response.StatusCode);
    }
}

public sealed class WebhookDeliveryException(string message) : Exception(message);
