namespace Compliance.Web.Auth.Embedded;

/// <summary>A person who can sign in at the embedded development provider. The password is the user name.</summary>
public sealed record DemoUser(string Name, string DisplayName, string[] Roles, string? CustomerCode);

/// <summary>
/// The demo accounts of the embedded development provider (DESIGN.md, "Stable names"): one per role,
/// two administrators for four-eyes decisions, two customers of different organisations.
/// They exist only when <c>Oidc:Authority</c> is empty and the environment is not Production.
/// </summary>
public static class DemoUsers
{
    public static readonly IReadOnlyList<DemoUser> All =
    [
        new("officer", "Olivia Officer", [Auth.Roles.ComplianceOfficer], null),
        new("admin", "Adam Admin", [Auth.Roles.Administrator], null),
        new("admin2", "Ada Admin", [Auth.Roles.Administrator], null),
        new("auditor", "Aude Auditor", [Auth.Roles.Auditor], null),
        new("customer-acme", "Carla (Acme)", [Auth.Roles.Customer], "acme"),
        new("customer-globex", "Gus (Globex)", [Auth.Roles.Customer], "globex"),
    ];

    /// <summary>The user whose name and password match, or null. Compared in constant time per candidate.</summary>
    public static DemoUser? Verify(string? name, string? password)
    {
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var user = Find(name);
        return user is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(password), System.Text.Encoding.UTF8.GetBytes(user.Name))
            ? user
            : null;
    }

    public static DemoUser? Find(string? name) =>
        All.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal));
}

/// <summary>The machine clients of the embedded provider (client credentials): the deployment pipeline.</summary>
public static class DemoClients
{
    public const string PipelineId = "pipeline";
    public const string PipelineSecret = "pipeline-secret";

    /// <summary>The resource (audience) the embedded provider puts into access tokens for <c>/api/v1</c>.</summary>
    public const string ApiResource = "compliance-api";

    /// <summary>The scope a client asks for to call <c>/api/v1</c>.</summary>
    public const string ApiScope = "compliance-api";
}
