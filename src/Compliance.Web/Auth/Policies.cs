using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Compliance.Web.Auth;

/// <summary>
/// The named policies every page, endpoint and download declares. Roles come from the identity
/// provider's role claim (<c>Oidc:RoleClaim</c>).
/// </summary>
public static class Policies
{
    /// <summary>Compliance officers, administrators and auditors: read the inventory, findings, audit trail.</summary>
    public const string Staff = nameof(Staff);

    /// <summary>Compliance officers: keep the inventory, waive findings, plan transitions, issue attestations.</summary>
    public const string Officer = nameof(Officer);

    /// <summary>Administrators: decide approvals, restrictions, list sources; the job dashboard.</summary>
    public const string Administrator = nameof(Administrator);

    /// <summary>Who may request an approval: officers and administrators.</summary>
    public const string ApprovalRequester = nameof(ApprovalRequester);

    /// <summary>Customers: their own organisation's workloads and attestations only.</summary>
    public const string Customer = nameof(Customer);

    /// <summary>Compliance officers and auditors: who take evidence packages to assessors.</summary>
    public const string EvidenceReader = nameof(EvidenceReader);

    /// <summary>Anyone signed in with a role: staff and customers (customers are scoped to their organisation by the data layer).</summary>
    public const string AnyRole = nameof(AnyRole);

    /// <summary>
    /// Reading the JSON API: staff (with their bearer token or cookie) and machine clients with the <see cref="Roles.Pipeline"/>
    /// role (an app-held one with the <see cref="ApiScopes.Read"/> scope).
    /// </summary>
    public const string Api = nameof(Api);

    /// <summary>Registering, ending and moving bindings and importing through the API: officers, or a machine client (scope <see cref="ApiScopes.InventoryWrite"/>).</summary>
    public const string ApiWrite = nameof(ApiWrite);

    /// <summary>The decision API (may M serve W?): staff, or a machine client (scope <see cref="ApiScopes.Decide"/>).</summary>
    public const string Decide = nameof(Decide);

    /// <summary>
    /// The customer API (attestations, posture): staff, machine clients and customers (people and their machine clients);
    /// every query is filtered by the caller's <see cref="CustomerScope"/>, so a customer reads its own organisation only.
    /// </summary>
    public const string CustomerApi = nameof(CustomerApi);

    public static void Register(AuthorizationOptions options)
    {
        options.AddPolicy(CustomerApi, p => p.RequireAuthenticatedUser().RequireRole([.. Roles.All, Roles.Pipeline])
            .AddRequirements(new ApiScopes.Requirement(ApiScopes.Read)));
        // Every policy that reaches more than one organisation refuses a principal that also holds Customer (CallerRoles).
        options.AddPolicy(Api, p => ActingAs(p, Roles.ComplianceOfficer, Roles.Administrator, Roles.Auditor, Roles.Pipeline)
            .AddRequirements(new ApiScopes.Requirement(ApiScopes.Read)));
        options.AddPolicy(ApiWrite, p => ActingAs(p, Roles.ComplianceOfficer, Roles.Pipeline)
            .AddRequirements(new ApiScopes.Requirement(ApiScopes.InventoryWrite)));
        options.AddPolicy(Decide, p => ActingAs(p, Roles.ComplianceOfficer, Roles.Administrator, Roles.Auditor, Roles.Pipeline)
            .AddRequirements(new ApiScopes.Requirement(ApiScopes.Decide)));
        options.AddPolicy(Staff, p => ActingAs(p, CallerRoles.StaffRoles));
        options.AddPolicy(Officer, p => ActingAs(p, Roles.ComplianceOfficer));
        options.AddPolicy(Administrator, p => ActingAs(p, Roles.Administrator));
        options.AddPolicy(ApprovalRequester, p => ActingAs(p, Roles.ComplianceOfficer, Roles.Administrator));
        options.AddPolicy(EvidenceReader, p => ActingAs(p, Roles.ComplianceOfficer, Roles.Auditor));
        options.AddPolicy(Customer, p => p.RequireAuthenticatedUser().RequireRole(Roles.Customer));
        options.AddPolicy(AnyRole, p => p.RequireAuthenticatedUser().RequireRole(Roles.All));

        // Anything that declares nothing still needs a signed-in user; the endpoint test makes sure everything declares.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }

    private static AuthorizationPolicyBuilder ActingAs(AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.RequireAuthenticatedUser().RequireRole(roles).RequireAssertion(c => !c.User.IsCustomer());
}

public static class PrincipalExtensions
{
    /// <summary>
    /// Who changes and decisions are attributed to and compared by (four-eyes): the provider's stable subject
    /// (<c>sub</c>), or the client id of a machine client — never the display name, which people can change and share.
    /// </summary>
    public static string ActorName(this ClaimsPrincipal user) =>
        user.FindFirst("sub")?.Value is { Length: > 0 } sub ? sub
        : user.FindFirst("client_id")?.Value is { Length: > 0 } client ? client
        : user.FindFirst("azp")?.Value is { Length: > 0 } azp ? azp
        : throw new InvalidOperationException("The signed-in principal has no subject (sub) or client id to attribute changes to.");

    /// <summary>The name shown beside the subject: the provider's <c>name</c>, else the preferred user name, else the subject.</summary>
    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirst("name")?.Value is { Length: > 0 } name ? name
        : user.FindFirst("preferred_username")?.Value is { Length: > 0 } preferred ? preferred
        : user.ActorName();
}
