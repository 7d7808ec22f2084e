using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Compliance.Web.Auth;

/// <summary>
/// What an app-held machine client may do, each scope one group of the API's policies: <see cref="Read"/> the GET
/// routes staff read, <see cref="InventoryWrite"/> the inventory's writes and imports, <see cref="Decide"/> the decision
/// API. Clients issued by the identity provider (configuration, <c>pipeline</c>) are not limited by these: what they may
/// do is configured at the provider.
/// </summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string InventoryWrite = "inventory:write";
    public const string Decide = "decide";

    public static readonly string[] All = [Read, InventoryWrite, Decide];

    /// <summary>One claim per scope on the principal of an app-held client.</summary>
    public const string ClaimType = "api_scope";

    /// <summary>Marks a principal as an app-held client (its value: the creating administrator's subject, the owner).</summary>
    public const string OwnerClaimType = "client_owner";

    public static string Describe(string scope) => scope switch
    {
        Read => "read the API (GET routes)",
        InventoryWrite => "change the inventory and import",
        Decide => "ask the decision API",
        _ => scope,
    };

    /// <summary>The administrator who owns this app-held client, or null for anyone else.</summary>
    public static string? ClientOwner(this ClaimsPrincipal user) => user.FindFirst(OwnerClaimType)?.Value;

    /// <summary>The policy requirement: an app-held client must hold the scope; anyone else passes (roles decide).</summary>
    public sealed record Requirement(string Scope) : IAuthorizationRequirement;

    /// <summary>Why a client was refused: the scope it lacks, in words for its operator.</summary>
    public sealed class MissingScope(IAuthorizationHandler handler, string scope) : AuthorizationFailureReason(handler,
        $"This client lacks the scope '{scope}' ({Describe(scope)}); an administrator grants scopes when creating a client.")
    {
        public string Scope { get; } = scope;
    }

    public sealed class Handler : AuthorizationHandler<Requirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
        {
            if (context.User.ClientOwner() is null || context.User.HasClaim(ClaimType, requirement.Scope))
            {
                context.Succeed(requirement);
            }
            else
            {
                context.Fail(new MissingScope(this, requirement.Scope));
            }

            return Task.CompletedTask;
        }
    }
}
