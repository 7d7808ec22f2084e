namespace Compliance.Web.Api;

/// <summary>
/// One page of a list, keyset-paged: <c>next</c> is the last item's id, passed back as <c>?after=</c> for the following
/// page (null on the last page). Stable while rows are added: a page never repeats or skips an item.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long? Next);

public static class ApiPages
{
    public const int DefaultLimit = 100;

    public const int MaxLimit = 1000;

    public static int Limit(int? limit) => Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);

    public static IResult Of<T>(List<T> items, int? limit, Func<T, long> id) =>
        Results.Ok(new Page<T>(items, items.Count == Limit(limit) ? id(items[^1]) : null));

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
