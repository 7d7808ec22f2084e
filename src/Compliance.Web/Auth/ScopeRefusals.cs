using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Compliance.Web.Auth;

/// <summary>
/// A machine client refused for a missing scope gets 403 with Problem Details naming the scope, so its operator knows
/// what to ask an administrator for; every other outcome is the framework's own.
/// </summary>
public sealed class ScopeRefusals : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        var missing = result.Forbidden
            ? result.AuthorizationFailure?.FailureReasons.OfType<ApiScopes.MissingScope>().FirstOrDefault()
            : null;
        if (missing is null)
        {
            await _default.HandleAsync(next, context, policy, result);
            return;
        }

        await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "A scope is missing", detail: missing.Message,
            extensions: new Dictionary<string, object?> { ["scope"] = missing.Scope }).ExecuteAsync(context);
    }
}
