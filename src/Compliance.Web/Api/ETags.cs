using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Compliance.Web.Api;

/// <summary>
/// <c>ETag</c> on every successful read: a hash of the JSON answer. A client that sends it back in
/// <c>If-None-Match</c> gets <c>304 Not Modified</c> with no body while the answer is the same (polling costs little).
/// </summary>
public sealed class ETags(IOptions<JsonOptions> json) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is not (IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK }))
        {
            return result;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json.Value.SerializerOptions);
        var tag = $"\"{Convert.ToBase64String(SHA256.HashData(body), 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_')}\"";
        var http = context.HttpContext;
        http.Response.Headers.ETag = tag;
        http.Response.Headers.CacheControl = "private, no-cache"; // revalidate each time; never stored by shared caches
        var sent = http.Request.Headers.IfNoneMatch;
        if (sent.Count > 0 && EntityTagHeaderValue.TryParseList(sent, out var tags)
            && tags.Any(t => t.Tag == "*" || t.Compare(new EntityTagHeaderValue(tag), useStrongComparison: false)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(body, "application/json; charset=utf-8");
    }
}

public static class ETagExtensions
{
    /// <summary>Every GET of the group answers with an ETag and honours <c>If-None-Match</c>.</summary>
    public static RouteGroupBuilder WithETags(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<ETags>();
        return group;
    }

    /// <summary>This GET answers with an ETag and honours <c>If-None-Match</c>.</summary>
    public static RouteHandlerBuilder WithETags(this RouteHandlerBuilder endpoint) => endpoint.AddEndpointFilter<ETags>();
}
