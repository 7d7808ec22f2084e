using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Jobs.Outbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Notifications;

/// <summary>What an administrator enters for a webhook.</summary>
public sealed record WebhookInput(string Name, string Url, IReadOnlyList<string> Events);

/// <summary>A webhook as the list shows it, with its last deliveries.</summary>
public sealed record WebhookRow(int Id, string Name, string Url, IReadOnlyList<string> Events, bool Enabled, string CreatedBy, DateTime CreatedAt, IReadOnlyList<WebhookDeliveryRecord> LastDeliveries);

/// <summary>A created webhook and its secret: the only time the secret is shown.</summary>
public sealed record CreatedWebhook(Webhook Webhook, string Secret);

/// <summary>
/// Administrators manage webhooks here (the page and any future API call this): every change is checked for the
/// Administrator role, validated field by field, attributed and audited. The secret is generated, returned once and
/// stored protected.
/// </summary>
public sealed class WebhookService(
    IDbContextFactory<ComplianceDb> factory,
    WebhookSecrets secrets,
    WebhookDelivery delivery,
    IOptionsMonitor<OutboundOptions> outbound,
    TimeProvider clock)
{
    /// <summary>Deliveries shown per webhook.</summary>
    public const int LastDeliveries = 10;

    public async Task<List<WebhookRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var hooks = await db.Webhooks.AsNoTracking().OrderBy(w => w.Name).ToListAsync(ct);
        var rows = new List<WebhookRow>(hooks.Count);
        foreach (var w in hooks)
        {
            var last = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == w.Id).OrderByDescending(d => d.Id).Take(LastDeliveries).ToListAsync(ct);
            rows.Add(new WebhookRow(w.Id, w.Name, w.Url, w.EventList, w.Enabled, w.CreatedBy, w.CreatedAt, last));
        }

        return rows;
    }

    public async Task<Outcome<CreatedWebhook>> CreateAsync(ClaimsPrincipal by, WebhookInput input, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<CreatedWebhook>.Refused("Only an administrator may manage webhooks.");
        }

        if (Validate(input) is { Length: > 0 } errors)
        {
            return Outcome<CreatedWebhook>.Invalid(errors);
        }

        var secret = WebhookSecrets.Generate();
        var actor = by.ActorName();
        var webhook = new Webhook
        {
            Name = input.Name.Trim(), Url = input.Url.Trim(), Events = string.Join(",", Normalise(input.Events)), Enabled = true,
            ProtectedSecret = secrets.Protect(secret), CreatedBy = actor, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await using var db = await factory.CreateDbContextAsync(ct);
        db.As(actor, "Webhook added").Webhooks.Add(webhook);
        await db.SaveChangesAsync(ct);
        return Outcome<CreatedWebhook>.Ok(new CreatedWebhook(webhook, secret));
    }

    public Task<Outcome<Webhook>> UpdateAsync(ClaimsPrincipal by, int id, WebhookInput input, CancellationToken ct = default) =>
        ChangeAsync(by, id, "Webhook changed", w =>
        {
            if (Validate(input) is { Length: > 0 } errors)
            {
                return errors;
            }

            w.Name = input.Name.Trim();
            w.Url = input.Url.Trim();
            w.Events = string.Join(",", Normalise(input.Events));
            return [];
        }, ct);

    public Task<Outcome<Webhook>> SetEnabledAsync(ClaimsPrincipal by, int id, bool enabled, CancellationToken ct = default) =>
        ChangeAsync(by, id, enabled ? "Webhook enabled" : "Webhook disabled", w =>
        {
            w.Enabled = enabled;
            return [];
        }, ct);

    /// <summary>Deletes the webhook and its delivery records (each removal on the trail).</summary>
    public async Task<Outcome<bool>> DeleteAsync(ClaimsPrincipal by, int id, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<bool>.Refused("Only an administrator may manage webhooks.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, ct);
        if (webhook is null)
        {
            return Outcome<bool>.Missing($"There is no webhook {id}.");
        }

        db.WebhookDeliveries.RemoveRange(await db.WebhookDeliveries.Where(d => d.WebhookId == id).ToListAsync(ct));
        db.Webhooks.Remove(webhook);
        await db.As(by.ActorName(), "Webhook deleted").SaveChangesAsync(ct);
        return Outcome<bool>.Ok(true);
    }

    /// <summary>Posts a <c>webhook.test</c> event now (not queued: the administrator waits for the answer) and records it like any delivery.</summary>
    public async Task<Outcome<WebhookDeliveryRecord>> SendTestAsync(ClaimsPrincipal by, int id, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<WebhookDeliveryRecord>.Refused("Only an administrator may manage webhooks.");
        }

        var notification = NotificationEvent.Create(NotificationEvents.WebhookTest, clock.GetUtcNow().UtcDateTime,
            new { webhookId = id, requestedBy = by.ActorName(), message = "A test event from AI Model Compliance. Verify its X-Signature and answer 2xx." });
        var record = await delivery.AttemptAsync(id, notification.Type, notification.Id, notification.ToJson(), requireEnabled: false, ct);
        return record is null ? Outcome<WebhookDeliveryRecord>.Missing($"There is no webhook {id}.") : Outcome<WebhookDeliveryRecord>.Ok(record);
    }

    private async Task<Outcome<Webhook>> ChangeAsync(ClaimsPrincipal by, int id, string reason, Func<Webhook, FieldError[]> change, CancellationToken ct)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<Webhook>.Refused("Only an administrator may manage webhooks.");
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var webhook = await db.Webhooks.FirstOrDefaultAsync(w => w.Id == id, ct);
        if (webhook is null)
        {
            return Outcome<Webhook>.Missing($"There is no webhook {id}.");
        }

        if (change(webhook) is { Length: > 0 } errors)
        {
            return Outcome<Webhook>.Invalid(errors);
        }

        await db.As(by.ActorName(), reason).SaveChangesAsync(ct);
        return Outcome<Webhook>.Ok(webhook);
    }

    /// <summary>Field-by-field problems: name, an absolute http(s) URL (https only outside Development), known event types.</summary>
    public FieldError[] Validate(WebhookInput input)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 200)
        {
            errors.Add(new FieldError("name", "Name: give the webhook a name of 1 to 200 characters (e.g. the receiving system)."));
        }

        var url = input.Url?.Trim() ?? "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || url.Length > 2000)
        {
            errors.Add(new FieldError("url", "URL: enter an absolute https:// address of at most 2,000 characters."));
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && outbound.CurrentValue.RequireHttps)
        {
            errors.Add(new FieldError("url", "URL: must start with https:// (plain http is allowed only in Development)."));
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors.Add(new FieldError("url", "URL: must not carry a user name or password; the signature authenticates the app."));
        }

        if (Normalise(input.Events).FirstOrDefault(e => !NotificationEvents.All.ContainsKey(e)) is { } unknown)
        {
            errors.Add(new FieldError("events", $"Events: '{unknown}' is not an event type; choose from {string.Join(", ", NotificationEvents.All.Keys)}."));
        }

        return [.. errors];
    }

    private static List<string> Normalise(IEnumerable<string>? events) =>
        [.. (events ?? []).Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
