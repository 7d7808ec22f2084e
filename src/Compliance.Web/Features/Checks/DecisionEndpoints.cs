using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Compliance.Web.Features.Checks;

/// <summary><c>GET /api/v1/decisions?model=&amp;workload=[&amp;usage=]</c>: may model M serve workload W? A deployment pipeline gates on it.</summary>
public static class DecisionEndpoints
{
    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/decisions", DecideAsync)
            .WithName("Decide")
            .WithSummary("May the model serve the workload? Allowed, with the reasons, from the same rule the compliance check uses.")
            .RequireAuthorization(Policies.Api);
        // A constant behind the same policy: the load test's limit (scripts/load.sh), so authentication costs the same.
        app.MapGet("/api/v1/ping", () => TypedResults.Ok(Pong))
            .WithName("Ping")
            .WithSummary("A constant answer for the caller's credentials: checks a token works and measures the API's own overhead.")
            .RequireAuthorization(Policies.Api);
        return app;
    }

    private static readonly Pong Pong = new(true);

    internal static async Task<Results<Ok<Decision>, ProblemHttpResult>> DecideAsync(
        string? model, int? workload, Usage? usage, DecisionService decisions, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(model) || workload is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "model and workload are required",
                detail: "Call /api/v1/decisions?model={model id or host model id}&workload={workload id}[&usage=Inference|Agent|CodingAssistant].");
        }

        var match = await decisions.FindModelAsync(model, ct);
        if (match.Model is null)
        {
            return match.Candidates.Count == 0
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown model",
                    detail: $"No model has the id or host model id '{model}'.")
                : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Ambiguous model",
                    detail: $"'{model}' is offered by {match.Candidates.Count} hostings; name one by its numeric id: "
                        + string.Join("; ", match.Candidates.Select(m => $"{m.Id} = {m.Hosting}{(m.Region.Length > 0 ? " " + m.Region : "")}")) + ".");
        }

        var evaluation = await decisions.DecideAsync(http.User, match.Model.Id, workload.Value, usage ?? Usage.Inference, ct);
        return evaluation is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown workload", detail: $"No workload has the id {workload}.")
            : TypedResults.Ok(Decision.From(evaluation));
    }
}

/// <summary>The constant answer of <c>GET /api/v1/ping</c>.</summary>
public sealed record Pong(bool Ok);
