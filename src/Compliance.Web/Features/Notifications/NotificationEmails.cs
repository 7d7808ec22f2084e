using System.Globalization;
using System.Text.Json;
using Compliance.Data;
using Compliance.Domain;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Features.Notifications;

/// <summary>
/// Who an event emails, and what: workload owners and customer contacts when a restriction hits their workloads (the
/// restricted findings a run opened) or its deadline nears; administrators other than the requester when an approval
/// waits. One email per address, listing everything that concerns it; addresses whose person opted out are skipped.
/// </summary>
public sealed class NotificationEmails(IDbContextFactory<ComplianceDb> factory, IBackgroundJobClient jobs, IOptions<SmtpOptions> options, NotificationRecipients recipients)
{
    /// <summary>Composes the event's emails and queues one <see cref="EmailSender"/> job each; 0 when SMTP is not configured.</summary>
    public async Task<int> QueueAsync(string type, string body, CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return 0;
        }

        var messages = await ComposeAsync(type, body, ct);
        foreach (var message in messages)
        {
            jobs.Enqueue<EmailSender>(s => s.SendAsync(message, CancellationToken.None));
        }

        return messages.Count;
    }

    public async Task<List<EmailMessage>> ComposeAsync(string type, string body, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(body);
        var data = json.RootElement.GetProperty("data");
        return type switch
        {
            NotificationEvents.FindingOpened => await RestrictionsHitAsync(data, ct),
            NotificationEvents.RestrictionDeadlineApproaching => await DeadlineNearsAsync(data, ct),
            NotificationEvents.ApprovalRequested => await ApprovalWaitsAsync(data, ct),
            _ => [],
        };
    }

    private sealed record Hit(string? OwnerEmail, string? ContactEmail, string Workload, string Customer, string Model, DateTime? Deadline);

    private async Task<List<EmailMessage>> RestrictionsHitAsync(JsonElement data, CancellationToken ct)
    {
        var from = data.GetProperty("checkStartedAt").GetDateTime().ToUniversalTime();
        var until = data.GetProperty("checkFinishedAt").GetDateTime().ToUniversalTime();
        await using var db = await factory.CreateDbContextAsync(ct);
        var hits = await db.Findings.AsNoTracking()
            .Where(f => f.Rule == FindingRule.Restricted && f.Status == FindingStatus.Open && f.FirstSeen >= from && f.FirstSeen <= until)
            .Select(f => new Hit(f.Binding!.Workload!.OwnerEmail, f.Binding.Workload.Customer!.ContactEmail, f.Binding.Workload.Name, f.Binding.Workload.Customer.Name,
                f.Binding.Model!.DisplayName, db.Restrictions.Where(r => r.Id == f.RestrictionId).Select(r => (DateTime?)r.TransitionDeadline).FirstOrDefault()))
            .Take(10_000).ToListAsync(ct);
        return await PerAddressAsync(hits, p => p.RestrictionEmails, (to, mine) => EmailTemplates.Render(to,
            $"Restricted: {mine.Count} workload binding{(mine.Count == 1 ? "" : "s")} must move to another model",
            "A restriction now applies to AI models your workloads use. Each binding below must move to an approved model by its transition deadline.",
            Lines(mine), "See the restricted findings", options.Value.Link("/findings?status=Open"), Why), ct);
    }

    private async Task<List<EmailMessage>> DeadlineNearsAsync(JsonElement data, CancellationToken ct)
    {
        var restrictionId = data.GetProperty("restrictionId").GetInt32();
        var deadline = data.GetProperty("transitionDeadline").GetDateTime().ToUniversalTime();
        var days = data.GetProperty("daysLeft").GetInt32();
        await using var db = await factory.CreateDbContextAsync(ct);
        var hits = await db.Findings.AsNoTracking()
            .Where(f => f.Rule == FindingRule.Restricted && f.Status != FindingStatus.Resolved && f.RestrictionId == restrictionId)
            .Select(f => new Hit(f.Binding!.Workload!.OwnerEmail, f.Binding.Workload.Customer!.ContactEmail, f.Binding.Workload.Name, f.Binding.Workload.Customer.Name,
                f.Binding.Model!.DisplayName, deadline))
            .Take(10_000).ToListAsync(ct);
        return await PerAddressAsync(hits, p => p.RestrictionEmails, (to, mine) => EmailTemplates.Render(to,
            $"Deadline in {days} day{(days == 1 ? "" : "s")}: {mine.Count} binding{(mine.Count == 1 ? "" : "s")} still on a restricted model",
            $"The transition deadline of a restriction is {deadline:yyyy-MM-dd}. These bindings have not moved yet.",
            Lines(mine), "See the restriction", options.Value.Link($"/restrictions/{restrictionId}"), Why), ct);
    }

    private async Task<List<EmailMessage>> ApprovalWaitsAsync(JsonElement data, CancellationToken ct)
    {
        var approvalId = data.GetProperty("approvalId").GetInt32();
        var requester = data.GetProperty("requestedBy").GetString();
        await using var db = await factory.CreateDbContextAsync(ct);
        var approval = await db.Approvals.AsNoTracking().Where(a => a.Id == approvalId)
            .Select(a => new { Model = a.Model!.DisplayName, a.MaxImpactLevel, a.Justification, a.Status }).FirstOrDefaultAsync(ct);
        if (approval is null || approval.Status != ApprovalStatus.Requested)
        {
            return [];
        }

        var requesterName = await db.People.AsNoTracking().Where(p => p.Subject == requester).Select(p => p.DisplayName).FirstOrDefaultAsync(ct) ?? requester;
        var admins = await recipients.WithRoleAsync(Auth.Roles.Administrator, p => p.ApprovalEmails, ct);
        // Four-eyes: the requester cannot decide, so they are not asked to.
        return [.. admins.Where(a => a.Subject != requester).Select(a => EmailTemplates.Render(a.Email,
            $"Approval waiting for you: {approval.Model} up to {approval.MaxImpactLevel}",
            $"{requesterName} ({requester}) asks for {approval.Model} to be approved up to {approval.MaxImpactLevel}. Another administrator must decide it.",
            [$"Justification: {approval.Justification}"], "Review the request", options.Value.Link($"/approvals/{approvalId}"),
            "You get this email because you are an administrator of AI Model Compliance."))];
    }

    private const string Why = "You get this email as the owner of these workloads or as your organisation's compliance contact.";

    private static List<string> Lines(List<Hit> hits) =>
        [.. hits.OrderBy(h => h.Customer, StringComparer.Ordinal).ThenBy(h => h.Workload, StringComparer.Ordinal)
            .Select(h => $"{h.Workload} ({h.Customer}) uses {h.Model}" + (h.Deadline is { } d ? $"; move by {d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : ""))];

    /// <summary>One message per address (owner or contact), each listing its own hits, minus addresses whose person opted out.</summary>
    private async Task<List<EmailMessage>> PerAddressAsync(List<Hit> hits, Func<NotificationPreference, bool> wants, Func<string, List<Hit>, EmailMessage> render, CancellationToken ct)
    {
        var byAddress = new Dictionary<string, List<Hit>>(StringComparer.OrdinalIgnoreCase);
        foreach (var hit in hits)
        {
            foreach (var address in new[] { hit.OwnerEmail, hit.ContactEmail }.Where(a => !string.IsNullOrWhiteSpace(a)).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                (byAddress.TryGetValue(address!.Trim(), out var list) ? list : byAddress[address.Trim()] = []).Add(hit);
            }
        }

        var optedOut = await recipients.OptedOutAddressesAsync(wants, ct);
        return [.. byAddress.Where(a => !optedOut.Contains(a.Key)).OrderBy(a => a.Key, StringComparer.OrdinalIgnoreCase).Select(a => render(a.Key, a.Value))];
    }
}
