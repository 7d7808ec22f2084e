namespace Compliance.Domain;

/// <summary>
/// A customer's machine client: reads that one customer's attestations and posture through <c>/api/v1</c> with client
/// credentials. Only the SHA-256 of its secret is stored (the secret is 256 random bits, shown once). Revoking refuses
/// its next request; it is never deleted, so the trail keeps who created and revoked it.
/// </summary>
public class CustomerApiClient
{
    public int Id { get; set; }

    /// <summary>Public identifier the client presents, e.g. <c>cust-acme-7k2m9q</c>.</summary>
    public required string ClientId { get; set; }

    public required string SecretSha256 { get; set; }

    public int CustomerId { get; set; }

    public Customer? Customer { get; set; }

    /// <summary>What the customer uses it for, as the administrator named it.</summary>
    public required string Name { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    /// <summary>The last authenticated request (updated at most once a minute).</summary>
    public DateTime? LastUsedAt { get; set; }
}
