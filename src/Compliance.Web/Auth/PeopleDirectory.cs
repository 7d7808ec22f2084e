using System.Collections.Concurrent;
using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Auth;

/// <summary>
/// Keeps each subject's display name as the identity provider last sent it, so the UI and the audit trail can
/// show a name beside the subject that changes are attributed to. A rename is an audited change of the
/// person's row, never of the rows they changed.
/// </summary>
public sealed class PeopleDirectory(IDbContextFactory<ComplianceDb> factory, ILogger<PeopleDirectory> log)
{
    // Signed-in principals arrive on every API call: skip the database when nothing changed.
    private readonly ConcurrentDictionary<string, string> _known = new(StringComparer.Ordinal);

    public async Task RecordAsync(ClaimsPrincipal? user, CancellationToken ct = default)
    {
        if (user?.Identity?.IsAuthenticated != true || user.FindFirst("sub") is null && user.FindFirst("client_id") is null && user.FindFirst("azp") is null)
        {
            return;
        }

        var subject = user.ActorName();
        var name = Truncate(user.DisplayName(), 200);
        // Address and roles as the provider sends them: who notifications go to (Features/Notifications).
        var email = user.FindFirst("email")?.Value is { Length: > 0 and <= 320 } address ? address : null;
        var roleClaim = (user.Identity as ClaimsIdentity)?.RoleClaimType ?? ClaimTypes.Role;
        var roles = Truncate(string.Join(",", user.FindAll(roleClaim).Select(c => c.Value).Distinct().Order(StringComparer.Ordinal)), 400);
        var known = $"{name}\u001f{email}\u001f{roles}";
        if (_known.TryGetValue(subject, out var knownName) && knownName == known)
        {
            return;
        }

        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var person = await db.People.FindAsync([subject], ct);
            if (person is null)
            {
                db.People.Add(new Person { Subject = subject, DisplayName = name, FirstSeenAt = DateTime.UtcNow, Email = email, Roles = roles });
                await db.As(subject, "First sign-in").SaveChangesAsync(ct);
            }
            else if (person.DisplayName != name || person.Email != email || person.Roles != roles)
            {
                var renamed = person.DisplayName != name;
                (person.DisplayName, person.Email, person.Roles) = (name, email, roles);
                await db.As(subject, renamed ? "Display name changed at the identity provider" : "Email or roles changed at the identity provider").SaveChangesAsync(ct);
            }

            _known[subject] = known;
        }
        catch (DbUpdateException e)
        {
            // Two first requests of one person at once: the other one recorded it.
            log.LogDebug(e, "Recording {Subject} raced another request", subject);
        }
    }

    /// <summary>Display names of the given subjects (those known); for showing beside them.</summary>
    public async Task<Dictionary<string, string>> NamesAsync(IEnumerable<string?> subjects, CancellationToken ct = default)
    {
        var wanted = subjects.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.People.AsNoTracking().Where(p => wanted.Contains(p.Subject)).ToDictionaryAsync(p => p.Subject, p => p.DisplayName, StringComparer.Ordinal, ct);
    }

    /// <summary>"Adam Admin (admin)": the name beside the subject, or the subject alone when no name is known or they are the same.</summary>
    public static string Label(string? subject, IReadOnlyDictionary<string, string> names) =>
        subject is null ? "—" : Label(subject, names.GetValueOrDefault(subject));

    /// <summary>The same label from a display name already at hand (an audit event's <c>UserName</c>).</summary>
    public static string Label(string subject, string? name) => name is not null && name != subject ? $"{name} ({subject})" : subject;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
