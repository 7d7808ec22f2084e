using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Auth;

/// <summary>
/// The signed-out sessions, in the database every instance shares (table <c>EndedSessions</c>): a cookie replayed to
/// any instance after its session was ended on another is refused at once, without sticky sessions or a separate
/// cache server. A row lives until the session's absolute end; expired rows go with the next sign-out.
/// </summary>
public sealed class EndedSessions(IDbContextFactory<ComplianceDb> factory, TimeProvider clock)
{
    public async Task<bool> ContainsAsync(string id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.EndedSessions.AnyAsync(s => s.Id == id, ct);
    }

    public async Task AddAsync(string id, DateTimeOffset until, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.EndedSessions.Where(s => s.Until < now).ExecuteDeleteAsync(ct);
        if (await db.EndedSessions.AnyAsync(s => s.Id == id, ct))
        {
            return;
        }

        db.EndedSessions.Add(new EndedSession { Id = id, Until = until.UtcDateTime });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Ended at the same moment by another request (two tabs signing out): the session is ended either way.
            if (!await ContainsAsync(id, ct))
            {
                throw;
            }
        }
    }
}
