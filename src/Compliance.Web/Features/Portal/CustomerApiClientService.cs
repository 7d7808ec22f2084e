using System.Security.Claims;
using System.Security.Cryptography;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Portal;

public sealed record CustomerApiClientRow(
    int Id, string ClientId, int CustomerId, string CustomerCode, string CustomerName, string Name, string CreatedBy, DateTime CreatedAt,
    DateTime? LastUsedAt, DateTime? RevokedAt, string? RevokedBy);

/// <summary>A client just created: the secret is in this object only, shown once and never stored (only its SHA-256 is).</summary>
public sealed record NewCustomerApiClient(CustomerApiClientRow Client, string Secret);

/// <summary>
/// Customer machine clients: administrators create one for one customer (the secret is shown once), revoke it (its next
/// request is refused), and see when each was last used. Every change is attributed and on the audit trail.
/// </summary>
public sealed class CustomerApiClientService(IDbContextFactory<ComplianceDb> dbFactory, TimeProvider clock)
{
    /// <summary>How often the last-used time is written at most: a busy client does not write on every request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<List<CustomerApiClientRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CustomerApiClients.AsNoTracking().OrderBy(c => c.Customer!.Name).ThenByDescending(c => c.CreatedAt)
            .Select(c => new CustomerApiClientRow(c.Id, c.ClientId, c.CustomerId, c.Customer!.Code, c.Customer.Name, c.Name, c.CreatedBy, c.CreatedAt,
                c.LastUsedAt, c.RevokedAt, c.RevokedBy))
            .ToListAsync(ct);
    }

    public async Task<Outcome<NewCustomerApiClient>> CreateAsync(ClaimsPrincipal by, int customerId, string? name, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<NewCustomerApiClient>.Refused("Only an administrator may create a customer's API client.");
        }

        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            return Outcome<NewCustomerApiClient>.Invalid(new FieldError("name", "Name the client (what the customer uses it for), up to 200 characters."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var code = await db.Customers.Where(c => c.Id == customerId).Select(c => c.Code).FirstOrDefaultAsync(ct);
        if (code is null)
        {
            return Outcome<NewCustomerApiClient>.Invalid(new FieldError("customerId", $"There is no customer {customerId}."));
        }

        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var client = new CustomerApiClient
        {
            ClientId = $"cust-{code}-{Base64Url(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}", SecretSha256 = Hash(secret),
            CustomerId = customerId, Name = name, CreatedBy = by.ActorName(), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.CustomerApiClients.Add(client);
        db.As(by.ActorName(), $"API client {client.ClientId} created for customer {code}");
        await db.SaveChangesAsync(ct);
        return Outcome<NewCustomerApiClient>.Ok(new NewCustomerApiClient((await ListAsync(ct)).Single(c => c.Id == client.Id), secret));
    }

    public async Task<Outcome<bool>> RevokeAsync(ClaimsPrincipal by, int id, CancellationToken ct = default)
    {
        if (!by.ActsAs(Roles.Administrator))
        {
            return Outcome<bool>.Refused("Only an administrator may revoke a customer's API client.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.CustomerApiClients.SingleOrDefaultAsync(c => c.Id == id, ct);
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
    /// The customer code a client acts for, when <paramref name="clientId"/> and <paramref name="secret"/> name a client that
    /// is not revoked; null otherwise. Records the use (at most once per <see cref="LastUsedResolution"/>).
    /// </summary>
    public async Task<(string ClientId, string Name, string CustomerCode)?> AuthenticateAsync(string clientId, string secret, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.CustomerApiClients.AsNoTracking().Where(c => c.ClientId == clientId)
            .Select(c => new { c.Id, c.ClientId, c.Name, c.SecretSha256, c.RevokedAt, c.LastUsedAt, c.Customer!.Code })
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
            await db.CustomerApiClients.Where(c => c.Id == client.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastUsedAt, stamp), ct);
        }

        return (client.ClientId, client.Name, client.Code);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
