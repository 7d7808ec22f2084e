using System.Text.Json.Serialization;
using Compliance.Web.Shared;

namespace Compliance.Web.Api;

/// <summary>The JSON API under <c>/api/v1</c>: enums as strings, RFC 9457 Problem Details for every error, an OpenAPI document.</summary>
public static class ApiSetup
{
    public const string Prefix = "/api/v1";

    public static WebApplicationBuilder AddComplianceApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.AddRequestProblems();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "AI Model Compliance API";
            doc.Info.Description = "Inventory of AI model bindings, compliance decisions and attestations. Bearer tokens from the configured identity provider.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication MapComplianceApi(this WebApplication app)
    {
        // The API's description holds no data: readable by anyone who can reach the app, like the health check.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseIdempotencyKeys();
        return app;
    }

    /// <summary>The outcome's errors as RFC 9457 validation problem details, keyed by field.</summary>
    public static IResult Problem<T>(Outcome<T> outcome) =>
        outcome.Forbidden
            ? Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: outcome.Errors[0].Message)
            : outcome.NotFound
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: outcome.Errors[0].Message)
            : Results.ValidationProblem(outcome.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "The request is not valid; nothing was changed.");
}
