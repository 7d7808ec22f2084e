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

    public static ClaimsPrincipal Person(string name, params string[] roles) => Named(name, name, roles);

    /// <summary>A person whose stable subject and display name differ, as with any real provider.</summary>
    public static ClaimsPrincipal Named(string subject, string displayName, params string[] roles) =>
        new(new ClaimsIdentity([new Claim("sub", subject), new Claim("name", displayName), .. roles.Select(r => new Claim("role", r))], "test", "name", "role"));
}
