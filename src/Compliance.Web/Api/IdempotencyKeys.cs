using System.Security.Cryptography;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Api;

/// <summary>
/// <c>Idempotency-Key</c> on creating POSTs: the first request with a key (per caller) is answered and its answer
/// kept for <see cref="Retention"/>; a retry with the same key and the same request gets that answer again
/// (<c>Idempotent-Replayed: true</c>) and creates nothing. The same key with a different request is refused (422), one
/// still being answered is a conflict (409). An answer that is not a success is not kept: the caller may fix the
/// request and retry with the key.
/// </summary>
public sealed class IdempotencyKeys(IDbContextFactory<ComplianceDb> factory, TimeProvider clock) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    public const int MaxKeyLength = 200;

    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString().Trim();
        if (key.Length == 0)
        {
            return await next(context);
        }

        if (key.Length > MaxKeyLength)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"The {Header} header is too long",
                detail: $"Send a key of at most {MaxKeyLength} characters (a UUID is usual).");
        }

        var caller = http.User.ActorName();
        var hash = await RequestHashAsync(http.Request);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(http.RequestAborted);
        await db.IdempotentRequests.Where(r => r.CreatedAt < now - Retention).ExecuteDeleteAsync(http.RequestAborted);
        var claim = new IdempotentRequest { Caller = caller, Key = key, RequestHash = hash, CreatedAt = now };
        db.IdempotentRequests.Add(claim);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            var first = await db.IdempotentRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Caller == caller && r.Key == key, http.RequestAborted);
            return Replay(first, hash);
        }

        return await AnswerAndKeepAsync(context, next, db, claim);
    }

    private static async Task<object?> AnswerAndKeepAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, ComplianceDb db, IdempotentRequest claim)
    {
        var http = context.HttpContext;
        var kept = false;
        try
        {
            if (await next(context) is not IResult result)
            {
                return null;
            }

            // Executed here, into a buffer, so the exact answer (status, location, body) can be kept and replayed.
            var sent = http.Response.Body;
            using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try
            {
                await result.ExecuteAsync(http);
            }
            finally
            {
                http.Response.Body = sent;
            }

            if (http.Response.StatusCode is >= 200 and < 300)
            {
                claim.StatusCode = http.Response.StatusCode;
                claim.ContentType = http.Response.ContentType;
                claim.Location = http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null;
                claim.Body = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
                await db.SaveChangesAsync(CancellationToken.None);
                kept = true;
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(sent, http.RequestAborted);
            return Results.Empty;
        }
        finally
        {
            if (!kept)
            {
                db.IdempotentRequests.Remove(claim);
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
    }

    private static IResult Replay(IdempotentRequest? first, string hash)
    {
        if (first is null)
        {
            // The first request failed and let its key go between our insert and this read: the caller retries.
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Retry the request",
                detail: $"A request with this {Header} has just finished without success; send it again.");
        }

        if (first.RequestHash != hash)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: $"This {Header} was used for another request",
                detail: $"A key names one request: send a new {Header} for a different body or path.");
        }

        if (first.StatusCode is not { } status)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The first request with this key is still being answered",
                detail: "Wait a moment and retry with the same key to get its answer.");
        }

        return new Replayed(status, first.ContentType, first.Location, first.Body);
    }

    private static async Task<string> RequestHashAsync(HttpRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            sha.AppendData(body.ToArray());
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private sealed class Replayed(int status, string? contentType, string? location, string? body) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.Headers["Idempotent-Replayed"] = "true";
            if (location is not null)
            {
                http.Response.Headers.Location = location;
            }

            if (body is not null)
            {
                http.Response.ContentType = contentType ?? "application/json";
                await http.Response.WriteAsync(body);
            }
        }
    }
}

public static class IdempotencyKeyExtensions
{
    /// <summary>This creating POST honours <c>Idempotency-Key</c>.</summary>
    public static RouteHandlerBuilder WithIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter<IdempotencyKeys>();

    /// <summary>Keeps the body of a request with an <c>Idempotency-Key</c> readable again, to compare a retry with the first.</summary>
    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.Headers.ContainsKey(IdempotencyKeys.Header))
        {
            http.Request.EnableBuffering();
        }

        return next(http);
    });
}
