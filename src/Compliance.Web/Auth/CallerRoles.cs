using System.Security.Claims;

namespace Compliance.Web.Auth;

/// <summary>
/// What a principal may act as. A principal holding <see cref="Roles.Customer"/> is a customer, whatever other roles
/// it holds: a customer account given a staff role by mistake must not reach other organisations' data or change
/// anything. The policies and the services decide with these, so a page, an endpoint and a service agree.
/// </summary>
public static class CallerRoles
{
    public static readonly string[] StaffRoles = [Roles.ComplianceOfficer, Roles.Administrator, Roles.Auditor];

    public static bool IsCustomer(this ClaimsPrincipal user) => user.IsInRole(Roles.Customer);

    /// <summary>
    /// Holds one of <paramref name="roles"/> and not the Customer role. An app-held machine client acts only as
    /// <see cref="Roles.Pipeline"/>, never as a person's role: it cannot decide an approval, so an administrator cannot
    /// approve their own request through a client they created (four-eyes).
    /// </summary>
    public static bool ActsAs(this ClaimsPrincipal user, params string[] roles) =>
        user.Identity?.IsAuthenticated == true && !user.IsCustomer()
        && roles.Any(r => user.IsInRole(r) && (user.ClientOwner() is null || r == Roles.Pipeline));

    /// <summary>Compliance officer, administrator or auditor, and not a customer.</summary>
    public static bool IsStaff(this ClaimsPrincipal user) => user.ActsAs(StaffRoles);
}
