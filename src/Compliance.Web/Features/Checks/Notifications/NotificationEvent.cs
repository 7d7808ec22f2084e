using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Compliance.Web.Features.Checks.Notifications;

/// <summary>What a webhook receives: <c>{ "id", "type", "occurredAt", "data" }</c>.</summary>
public sealed record NotificationEvent(string Id, string Type, DateTime OccurredAt, object Data)
{
    /// <summary>New critical findings opened by a check run.</summary>
    public const string CriticalFindingOpened = "finding.critical.opened";

    /// <summary>A restriction in effect whose transition deadline is near, with bindings still to move.</summary>
    public const string RestrictionDeadlineApproaching = "restriction.deadline.approaching";

    /// <summary>A transition plan past its target date and not done: announced once per plan.</summary>
    public const string TransitionPlanOverdue = "transition.plan.overdue";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static NotificationEvent Create(string type, DateTime at, object data) => new(Guid.NewGuid().ToString("N"), type, at, data);

    /// <summary>The exact bytes posted (and signed): serialised once when the event is published, so every retry sends the same body.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>The <c>X-Compliance-Signature</c> header: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the raw body under the webhook's secret.</summary>
public static class WebhookSignature
{
    public const string Header = "X-Compliance-Signature";

    public const string EventHeader = "X-Compliance-Event";

    public const string DeliveryHeader = "X-Compliance-Delivery";

    public static string Compute(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Constant-time comparison of a received header against the expected signature.</summary>
    public static bool Verify(string secret, byte[] body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, body)), Encoding.ASCII.GetBytes(header));
}
