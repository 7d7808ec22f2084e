namespace Compliance.Web.Auth;

/// <summary>The four roles, as the identity provider's role claim carries them.</summary>
public static class Roles
{
    public const string ComplianceOfficer = nameof(ComplianceOfficer);
    public const string Administrator = nameof(Administrator);
    public const string Auditor = nameof(Auditor);
    public const string Customer = nameof(Customer);

    /// <summary>The four roles people sign in with.</summary>
    public static readonly string[] All = [ComplianceOfficer, Administrator, Auditor, Customer];

    /// <summary>
    /// Not a person's role: machine clients (the deployment pipeline, client credentials) carry it in
    /// their access token's role claim to call <c>/api/v1</c>.
    /// </summary>
    public const string Pipeline = nameof(Pipeline);
}
