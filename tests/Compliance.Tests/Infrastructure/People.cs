using System.Security.Claims;
using Compliance.Web.Auth;

namespace Compliance.Tests.Infrastructure;

/// <summary>Signed-in people as the sign-in handler builds them: a name claim and role claims.</summary>
public static class People
{
    public static readonly ClaimsPrincipal Officer = Person("officer", Roles.ComplianceOfficer);
    public static readonly ClaimsPrincipal Admin = Person("admin", Roles.Administrator);
    public static readonly ClaimsPrincipal Admin2 = Person("admin2", Roles.Administrator);
    public static readonly ClaimsPrincipal Auditor = Person("auditor", Roles.Auditor);

    public static ClaimsPrincipal Person(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim("name", name), .. roles.Select(r => new Claim("role", r))], "test", "name", "role"));
}
