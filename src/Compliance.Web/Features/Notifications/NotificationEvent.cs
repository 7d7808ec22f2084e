using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Compliance.Web.Features.Notifications;

/// <summary>What a webhook receives: <c>{ "id", "type", "occurredAt", "data" }</c>.</summary>
public sealed record NotificationEvent(string Id, string Type, DateTime OccurredAt, object Data)
{
    /// <summary>New critical findings opened by a check run.</summary>
    public const string CriticalFindingOpened = NotificationEvents.CriticalFindingOpened;

    /// <summary>A restriction in effect whose transition deadline is near, with bindings still to move.</summary>
    public const string RestrictionDeadlineApproaching = NotificationEvents.RestrictionDeadlineApproaching;

    /// <summary>A transition plan past its target date and not done: announced once per plan.</summary>
    public const string TransitionPlanOverdue = NotificationEvents.TransitionPlanOverdue;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static NotificationEvent Create(string type, DateTime at, object data) => new(Guid.NewGuid().ToString("N"), type, at, data);

    /// <summary>The exact bytes posted (and signed): serialised once when the event is published, so every retry sends the same body.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>
/// Signatures of webhook posts. <c>X-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c> (Stripe
/// style): the timestamp is signed with the body, so a receiver rejects an old (replayed) post by its <c>t</c>.
/// Webhooks configured in appsettings also get the older <c>X-Compliance-Signature: sha256=&lt;hex HMAC of the body&gt;</c>.
/// </summary>
public static class WebhookSignature
{
    public const string TimestampedHeader = "X-Signature";

    public const string Header = "X-Compliance-Signature";

    public const string EventHeader = "X-Compliance-Event";

    public const string DeliveryHeader = "X-Compliance-Delivery";

    /// <summary>How old a signed timestamp may be before <see cref="VerifyTimestamped"/> rejects it (the docs' advice to receivers).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Compute(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Constant-time comparison of a received header against the expected signature.</summary>
    public static bool Verify(string secret, byte[] body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, body)), Encoding.ASCII.GetBytes(header));

    /// <summary>The <c>X-Signature</c> value for a post at <paramref name="unixSeconds"/>.</summary>
    public static string Sign(string secret, long unixSeconds, byte[] body)
    {
        var t = unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes(t + ".").Concat(body).ToArray();
        return $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    /// <summary>What a receiver does: parse <c>t</c> and <c>v1</c>, refuse a timestamp outside the tolerance, compare in constant time.</summary>
    public static bool VerifyTimestamped(string secret, byte[] body, string? header, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        var parts = (header ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var unix) || !parts.ContainsKey("v1")
            || (now - DateTimeOffset.FromUnixTimeSeconds(unix)).Duration() > (tolerance ?? Tolerance))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, unix, body)), Encoding.ASCII.GetBytes(header!.Replace(" ", "")));
    }
}
