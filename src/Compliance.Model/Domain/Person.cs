namespace Compliance.Domain;

/// <summary>
/// A person (or machine client) as the identity provider names them. Changes are attributed to the stable
/// <see cref="Subject"/>; the display name is only shown beside it, so a rename stays one person and two
/// people with one name stay two.
/// </summary>
public class Person
{
    /// <summary>The provider's <c>sub</c> claim, or the client id of a machine client.</summary>
    public required string Subject { get; set; }

    public required string DisplayName { get; set; }

    public DateTime FirstSeenAt { get; set; }

    /// <summary>The provider's <c>email</c> claim as last seen; where their notifications go.</summary>
    public string? Email { get; set; }

    /// <summary>Their roles as last seen at sign-in, comma-separated: who is an administrator or an officer to notify.</summary>
    public string? Roles { get; set; }
}
