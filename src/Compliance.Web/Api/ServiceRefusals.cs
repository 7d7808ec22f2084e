using System.ComponentModel.DataAnnotations;

namespace Compliance.Web.Api;

/// <summary>
/// Services that signal a refusal by exception (<see cref="UnauthorizedAccessException"/> for the wrong role,
/// <see cref="ValidationException"/> for bad input) answer the API caller as Problem Details: 403 and 400 naming
/// what is wrong, never a 500.
/// </summary>
public sealed class ServiceRefusals : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (UnauthorizedAccessException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: e.Message);
        }
        catch (ValidationException e)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { [e.ValidationResult.MemberNames.FirstOrDefault() ?? "body"] = [e.Message] },
                title: "The request is not valid; nothing was changed.");
        }
    }
}
