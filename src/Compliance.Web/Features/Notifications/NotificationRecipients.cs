using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Notifications;

/// <summary>A person to email: their subject and address as last seen at sign-in.</summary>
public sealed record Recipient(string Subject, string Email);

/// <summary>
/// People by role and preference. Roles and addresses are those the identity provider sent at the person's last sign-in
/// (<see cref="Auth.PeopleDirectory"/> records them); the people table is small, so it is read whole.
/// </summary>
public sealed class NotificationRecipients(IDbContextFactory<ComplianceDb> factory)
{
    /// <summary>People holding <paramref name="role"/> with an address, who have not turned this kind of email off.</summary>
    public async Task<List<Recipient>> WithRoleAsync(string role, Func<NotificationPreference, bool> wants, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var people = await db.People.AsNoTracking().Where(p => p.Email != null && p.Roles != null).Select(p => new { p.Subject, p.Email, p.Roles }).ToListAsync(ct);
        var preferences = await db.NotificationPreferences.AsNoTracking().ToDictionaryAsync(p => p.Subject, ct);
        return [.. people
            .Where(p => p.Roles!.Split(',', StringSplitOptions.TrimEntries).Contains(role, StringComparer.Ordinal))
            .Where(p => !preferences.TryGetValue(p.Subject, out var pref) || wants(pref))
            .OrderBy(p => p.Subject, StringComparer.Ordinal)
            .Select(p => new Recipient(p.Subject, p.Email!))];
    }

    /// <summary>Addresses of signed-in people who turned this kind of email off (their opt-out holds when they are emailed as an owner or contact too).</summary>
    public async Task<HashSet<string>> OptedOutAddressesAsync(Func<NotificationPreference, bool> wants, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var preferences = await db.NotificationPreferences.AsNoTracking().ToListAsync(ct);
        var subjects = preferences.Where(p => !wants(p)).Select(p => p.Subject).ToList();
        var emails = await db.People.AsNoTracking().Where(p => subjects.Contains(p.Subject) && p.Email != null).Select(p => p.Email!).ToListAsync(ct);
        return new HashSet<string>(emails.Select(e => e.Trim()), StringComparer.OrdinalIgnoreCase);
    }
}
