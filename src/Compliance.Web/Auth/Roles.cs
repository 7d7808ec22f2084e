namespace Compliance.Web.Auth;

/// <summary>The four roles, as the identity provider's role claim carries them.</summary>
public static class Roles
{
    public const string ComplianceOfficer = nameof(ComplianceOfficer);
    public const string Administrator = nameof(Administrator);
    public const string Auditor = nameof(Auditor);
    public const string Customer = nameof(Customer);

    /// <summary>A machine client (deployment pipeline) using the API with a client-credentials token.</summary>
    public const string Pipeline = nameof(Pipeline);

    public static readonly string[] All = [ComplianceOfficer, Administrator, Auditor, Customer];
}
