using System.Security.Claims;
using Compliance.Web.Auth;

namespace Compliance.Tests.Infrastructure;

/// <summary>Signed-in people as the sign-in handler builds them: a subject, a name claim and role claims.</summary>
public static class People
{
    public static readonly ClaimsPrincipal Officer = Person("officer", Roles.ComplianceOfficer);
    public static readonly ClaimsPrincipal Admin = Person("admin", Roles.Administrator);
    public static readonly ClaimsPrincipal Admin2 = Person("admin2", Roles.Administrator);
    public static readonly ClaimsPrincipal Auditor = Person("auditor", Roles.Auditor);

    public static readonly ClaimsPrincipal Pipeline = new(new ClaimsIdentity(
        [new Claim("sub", "pipeline"), new Claim("client_id", "pipeline"), new Claim("role", Roles.Pipeline)], "test", "name", "role"));

    /// <summary>A customer of the organisation with code <paramref name="customerCode"/> (the <c>customer_id</c> claim), with any further roles.</summary>
    public static ClaimsPrincipal Customer(string customerCode, params string[] moreRoles) =>
        new(new ClaimsIdentity(
            [new Claim("name", $"customer-{customerCode}"), new Claim("sub", $"customer-{customerCode}"), new Claim("customer_id", customerCode),
             new Claim("role", Roles.Customer), .. moreRoles.Select(r => new Claim("role", r))],
            "test", "name", "role"));

    public static ClaimsPrincipal Person(string name, params string[] roles) => Named(name, name, roles);

    /// <summary>A person whose stable subject and display name differ, as with any real provider.</summary>
    public static ClaimsPrincipal Named(string subject, string displayName, params string[] roles) =>
        new(new ClaimsIdentity([new Claim("sub", subject), new Claim("name", displayName), .. roles.Select(r => new Claim("role", r))], "test", "name", "role"));
}
