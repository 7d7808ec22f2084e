namespace Compliance.Domain;

/// <summary>
/// A machine client the app holds itself (not the identity provider), presenting its id and secret as HTTP Basic on each
/// request. Either a customer's client (<see cref="CustomerId"/> set: reads that one customer's attestations and posture)
/// or a staff machine client (no customer: a pipeline or GRC tool with <see cref="Scopes"/>). Only the SHA-256 of its
/// secret is stored (256 random bits, shown once). Revoking refuses its next request; it is never deleted, so the trail
/// keeps who created and revoked it.
/// </summary>
public class ApiClient
{
    public int Id { get; set; }

    /// <summary>Public identifier the client presents, e.g. <c>cust-acme-7k2m9q</c> or <c>mc-k2m9q7x1</c>; also its subject.</summary>
    public required string ClientId { get; set; }

    public required string SecretSha256 { get; set; }

    /// <summary>The customer a customer's client reads; null for a staff machine client.</summary>
    public int? CustomerId { get; set; }

    public Customer? Customer { get; set; }

    /// <summary>What it may do, space-separated (<c>read</c>, <c>inventory:write</c>, <c>decide</c>).</summary>
    public required string Scopes { get; set; }

    /// <summary>What it is used for, as the administrator named it.</summary>
    public required string Name { get; set; }

    /// <summary>
    /// The subject of the administrator who created it: its owner. Four-eyes treats owner and client as one person.
    /// </summary>
    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    /// <summary>The last authenticated request (updated at most once a minute).</summary>
    public DateTime? LastUsedAt { get; set; }
}
