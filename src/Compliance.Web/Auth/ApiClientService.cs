using System.Security.Claims;
using System.Security.Cryptography;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;

namespace Compliance.Web.Auth;

/// <summary>One client as the admin pages list it; <see cref="CustomerCode"/> is null for a staff machine client.</summary>
public sealed record ApiClientRow(
    int Id, string ClientId, int? CustomerId, string? CustomerCode, string? CustomerName, IReadOnlyList<string> Scopes, string Name,
    string CreatedBy, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt, string? RevokedBy);

/// <summary>A client just created: the secret is in this object only, shown once and never stored (only its SHA-256 is).</summary>
public sealed record NewApiClient(ApiClientRow Client, string Secret);

/// <summary>Who an authenticated client is: its id (its subject), name, owner, customer (for a customer's client) and scopes.</summary>
public sealed record AuthenticatedApiClient(string ClientId, string Name, string Owner, string? CustomerCode, IReadOnlyList<string> Scopes);

/// <summary>
/// The machine clients the app holds (ADR 012): administrators create one for one customer, or a staff machine client
/// with scopes; the secret is shown once; revoking refuses the next request; the last use is shown. Every change is
/// attributed and on the audit trail.
/// </summary>
public sealed class ApiClientService(IDbContextFactory<ComplianceDb> dbFactory, TimeProvider clock)
{
    /// <summary>How often the last-used time is written at most: a busy client does not write on every request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Customers' clients (<paramref name="customers"/> true) or staff machine clients.</summary>
    public async Task<List<ApiClientRow>> ListAsync(bool customers = true, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ApiClients.AsNoTracking().Where(c => (c.CustomerId != null) == customers)
            .OrderBy(c => c.Customer!.Name).ThenByDescending(c => c.CreatedAt)
            .Select(c => new { c.Id, c.ClientId, c.CustomerId, Code = (string?)c.Customer!.Code, CustomerName = (string?)c.Customer.Name, c.Scopes,
                c.Name, c.CreatedBy, c.CreatedAt, c.LastUsedAt, c.RevokedAt, c.RevokedBy })
            .ToListAsync(ct);
        return [.. rows.Select(c => new ApiClientRow(c.Id, c.ClientId, c.CustomerId, c.Code, c.CustomerName, SplitScopes(c.Scopes), c.Name,
            c.CreatedBy, c.CreatedAt, c.LastUsedAt, c.RevokedAt, c.RevokedBy))];
    }

    /// <summary>A client that reads one customer's attestations and posture (scope <see cref="ApiScopes.Read"/>).</summary>
    public async Task<Outcome<NewApiClient>> CreateAsync(ClaimsPrincipal by, int customerId, string? name, CancellationToken ct = default)
    {
        if (Refusal(by, "create a customer's API client") is { } refused)
        {
            return refused;
        }

        if (ValidName(ref name) is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var code = await db.Customers.Where(c => c.Id == customerId).Select(c => c.Code).FirstOrDefaultAsync(ct);
        if (code is null)
        {
            return Outcome<NewApiClient>.Invalid(new FieldError("customerId", $"There is no customer {customerId}."));
        }

        return await AddAsync(db, by, $"cust-{code}-{RandomId(6)}", customerId, [ApiScopes.Read], name!, $"for customer {code}", ct);
    }

    /// <summary>
    /// A staff machine client (a pipeline, a GRC tool) with the <paramref name="scopes"/> it needs, owned by the creating
    /// administrator. It carries the <see cref="Roles.Pipeline"/> role only: it can never decide an approval.
    /// </summary>
    public async Task<Outcome<NewApiClient>> CreateMachineClientAsync(ClaimsPrincipal by, string? name, IEnumerable<string>? scopes, CancellationToken ct = default)
    {
        if (Refusal(by, "create a machine client") is { } refused)
        {
            return refused;
        }

        if (ValidName(ref name) is { } invalid)
        {
            return invalid;
        }

        var wanted = (scopes ?? []).Select(s => s.Trim()).Where(s => s.Length > 0).Distinct().ToList();
        var unknown = wanted.FirstOrDefault(s => !ApiScopes.All.Contains(s));
        if (wanted.Count == 0 || unknown is not null)
        {
            return Outcome<NewApiClient>.Invalid(new FieldError("scopes",
                (unknown is null ? "Give the client at least one scope" : $"'{unknown}' is not a scope") + $"; the scopes are {string.Join(", ", ApiScopes.All)}."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await AddAsync(db, by, $"mc-{RandomId(8)}", null, [.. ApiScopes.All.Where(wanted.Contains)], name!, $"with scopes {string.Join(" ", wanted)}", ct);
    }

    public async Task<Outcome<bool>> RevokeAsync(ClaimsPrincipal by, int id, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<bool>.Refused("Only an administrator may revoke an API client.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.ApiClients.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (client is null)
        {
            return Outcome<bool>.Missing($"There is no API client {id}.");
        }

        if (client.RevokedAt is null)
        {
            client.RevokedAt = clock.GetUtcNow().UtcDateTime;
            client.RevokedBy = by.ActorName();
            db.As(by.ActorName(), $"API client {client.ClientId} revoked");
            await db.SaveChangesAsync(ct);
        }

        return Outcome<bool>.Ok(true);
    }

    /// <summary>
    /// The client <paramref name="clientId"/> and <paramref name="secret"/> name when it is not revoked; null otherwise.
    /// Records the use (at most once per <see cref="LastUsedResolution"/>).
    /// </summary>
    public async Task<AuthenticatedApiClient?> AuthenticateAsync(string clientId, string secret, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.ApiClients.AsNoTracking().Where(c => c.ClientId == clientId)
            .Select(c => new { c.Id, c.ClientId, c.Name, c.SecretSha256, c.RevokedAt, c.LastUsedAt, c.CreatedBy, c.Scopes, Code = (string?)c.Customer!.Code })
            .FirstOrDefaultAsync(ct);
        // The hash is compared in constant time; an unknown id costs the same hash.
        var matches = CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Hash(secret)), System.Text.Encoding.ASCII.GetBytes(client?.SecretSha256 ?? new string('0', 64)));
        if (client is null || !matches || client.RevokedAt is not null)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (client.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            // A usage timestamp, not a change to what the client may do: written without an audit event.
            var stamp = db.AsStored(now);
            await db.ApiClients.Where(c => c.Id == client.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUsedAt, stamp), ct);
        }

        return new AuthenticatedApiClient(client.ClientId, client.Name, client.CreatedBy, client.Code, SplitScopes(client.Scopes));
    }

    private async Task<Outcome<NewApiClient>> AddAsync(
        ComplianceDb db, ClaimsPrincipal by, string clientId, int? customerId, string[] scopes, string name, string what, CancellationToken ct)
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var client = new ApiClient
        {
            ClientId = clientId, SecretSha256 = Hash(secret), CustomerId = customerId, Scopes = string.Join(' ', scopes), Name = name,
            CreatedBy = by.ActorName(), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ApiClients.Add(client);
        db.As(by.ActorName(), $"API client {client.ClientId} created {what}");
        await db.SaveChangesAsync(ct);
        return Outcome<NewApiClient>.Ok(new NewApiClient((await ListAsync(customerId is not null, ct)).Single(c => c.Id == client.Id), secret));
    }

    private static Outcome<NewApiClient>? Refusal(ClaimsPrincipal by, string what) =>
        by.ActsAs(Roles.Administrator) ? null : Outcome<NewApiClient>.Refused($"Only an administrator may {what}.");

    private static Outcome<NewApiClient>? ValidName(ref string? name)
    {
        name = name?.Trim();
        return string.IsNullOrEmpty(name) || name.Length > 200
            ? Outcome<NewApiClient>.Invalid(new FieldError("name", "Name the client (what it is used for), up to 200 characters."))
            : null;
    }

    private static string[] SplitScopes(string scopes) => scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string RandomId(int bytes) => Base64Url(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
