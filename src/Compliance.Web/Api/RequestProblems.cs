using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Compliance.Web.Api;

/// <summary>
/// Turns a request the framework could not read (malformed JSON, a wrong type, an unknown enum value, a bad date, an
/// empty body, a wrong content type) into a Problem Details answer naming the field and what is accepted. Written from
/// our own words only: the framework's messages carry .NET type names and, in Development, a stack trace.
/// </summary>
public static partial class RequestProblems
{
    public const string DateForm = "an ISO 8601 date such as 2026-03-31 or 2026-03-31T09:00:00Z";

    /// <summary>The problem for <paramref name="error"/> on <paramref name="endpoint"/> (whose body and parameter types say what is accepted).</summary>
    public static ProblemDetails Describe(BadHttpRequestException error, Endpoint? endpoint, JsonSerializerOptions json)
    {
        if (error.InnerException is JsonException jsonError)
        {
            return DescribeJson(jsonError, endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType, json);
        }

        var message = error.Message;
        if (error.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return UnsupportedMediaType;
        }

        if (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(413, "The request body is too large", "Send a smaller body; split a large batch into several requests.", null, null);
        }

        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            return EmptyBody(endpoint, json);
        }

        if (RequiredParameter().Match(message) is { Success: true } missing)
        {
            var name = missing.Groups["name"].Value;
            return missing.Groups["source"].Value == "body"
                ? EmptyBody(endpoint, json)
                : Problem(400, $"'{name}' is missing", $"Give '{name}' as {Accepted(ParameterType(endpoint, name))}.", name, Accepted(ParameterType(endpoint, name)));
        }

        if (FailedToBind().Match(message) is { Success: true } failed)
        {
            var name = failed.Groups["name"].Value;
            var accepted = Accepted(ParameterType(endpoint, name));
            return Problem(400, $"'{name}' is not valid", $"'{name}' must be {accepted}.", name, accepted);
        }

        return Problem(error.StatusCode, "The request could not be read",
            "Check it against the API description at /openapi/v1.json.", null, null);
    }

    private static ProblemDetails UnsupportedMediaType => Problem(415, "The body must be JSON",
        "Send the request body as JSON with the header Content-Type: application/json.", "Content-Type", "application/json");

    private static ProblemDetails EmptyBody(Endpoint? endpoint, JsonSerializerOptions json) => Problem(400, "The request body is empty",
        $"Send a JSON object{Fields(endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType, json)}.", "$", "a JSON object");

    private static ProblemDetails DescribeJson(JsonException error, Type? bodyType, JsonSerializerOptions json)
    {
        var path = string.IsNullOrEmpty(error.Path) ? "$" : error.Path;
        // A reader error (the text is not JSON at all) is a JsonException inside the one the serializer throws.
        if (error.InnerException is JsonException)
        {
            var where = error.LineNumber is { } line ? $" at line {line + 1}, position {(error.BytePositionInLine ?? 0) + 1}" : "";
            return Problem(400, "The request body is not valid JSON",
                $"The JSON is malformed{where} (near '{path}'). Check quotes, commas and brackets.", path, "well-formed JSON");
        }

        var type = TypeAt(bodyType, path, json);
        if (path == "$" && bodyType is not null)
        {
            return Problem(400, "The request body has the wrong shape", $"Send {Accepted(bodyType)}{Fields(bodyType, json)}.", path, Accepted(bodyType));
        }

        var field = FieldName(path);
        var accepted = type is null ? "the type the API description gives (/openapi/v1.json)" : Accepted(type);
        return Problem(400, $"'{field}' is not valid", $"'{field}' must be {accepted}.", path, accepted);
    }

    /// <summary>What a value of <paramref name="type"/> may look like, in words.</summary>
    public static string Accepted(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => "a value of the type the API description gives (/openapi/v1.json)",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) => DateForm,
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string in double quotes",
            _ when type == typeof(Guid) => "a GUID",
            _ when type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) => "a JSON array",
            _ => "a JSON object",
        };
    }

    private static string Fields(Type? type, JsonSerializerOptions json) =>
        type is not null && json.GetTypeInfo(type) is { Kind: System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object } info && info.Properties.Count > 0
            ? " with the fields " + string.Join(", ", info.Properties.Select(p => p.Name))
            : "";

    /// <summary>The declared type at a JSON path such as <c>$.usage</c> or <c>$[3].from</c>, following the serializer's own names.</summary>
    private static Type? TypeAt(Type? type, string path, JsonSerializerOptions json)
    {
        foreach (Match step in PathStep().Matches(path))
        {
            if (type is null)
            {
                return null;
            }

            if (step.Groups["index"].Success)
            {
                type = json.GetTypeInfo(type) is { ElementType: { } element } ? element : null;
                continue;
            }

            var name = step.Groups["name"].Value;
            type = json.GetTypeInfo(type).Properties
                .FirstOrDefault(p => string.Equals(p.Name, name, json.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                ?.PropertyType;
        }

        return type;
    }

    /// <summary><c>$.usage</c> → <c>usage</c>, <c>$[2].from</c> → <c>[2].from</c>: the key a form or script uses.</summary>
    private static string FieldName(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static Type? ParameterType(Endpoint? endpoint, string name) =>
        endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;

    private static ProblemDetails Problem(int status, string title, string detail, string? field, string? accepted)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [FieldName(field) is { Length: > 0 } f ? f : field] = [detail] };
        }

        if (accepted is not null)
        {
            problem.Extensions["accepted"] = accepted;
        }

        return problem;
    }

    [GeneratedRegex("""^Required parameter "(?<type>.+) (?<name>\w+)" was not provided from (?<source>body|query string|route|header|form)""")]
    private static partial Regex RequiredParameter();

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>\w+)" from""")]
    private static partial Regex FailedToBind();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<name>[^']+)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();

    /// <summary>
    /// Minimal APIs throw instead of answering an empty 400 (in every environment, not only Development), and this
    /// middleware answers with the problem; API responses that would go out as a bare 4xx get a Problem Details body.
    /// </summary>
    public static WebApplicationBuilder AddRequestProblems(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    public static IApplicationBuilder UseRequestProblems(this IApplicationBuilder app)
    {
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException error) when (!http.Response.HasStarted)
            {
                var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
                var problem = Describe(error, http.GetEndpoint(), json);
                http.Response.Clear();
                // Written as application/problem+json whatever the Accept header says.
                await Results.Problem(problem).ExecuteAsync(http);
            }
        });

        // Bare 4xx answers on the API (401, 403, 404, 405…) get a Problem Details body too; pages keep their status page.
        app.UseWhen(http => http.Request.Path.StartsWithSegments(ApiSetup.Prefix),
            branch => branch.UseStatusCodePages(context => (context.HttpContext.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType
                ? Results.Problem(UnsupportedMediaType)
                : Results.Problem(statusCode: context.HttpContext.Response.StatusCode, detail: BareStatusDetail(context.HttpContext)))
                .ExecuteAsync(context.HttpContext)));
        return app;
    }

    private static string? BareStatusDetail(HttpContext http) => http.Response.StatusCode switch
    {
        StatusCodes.Status401Unauthorized => "Sign in first: send a bearer token from the identity provider.",
        StatusCodes.Status403Forbidden => "Your role does not allow this request.",
        StatusCodes.Status404NotFound => $"There is nothing at {http.Request.Path}; the routes are listed at /openapi/v1.json.",
        StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed here.",
        _ => null,
    };
}
