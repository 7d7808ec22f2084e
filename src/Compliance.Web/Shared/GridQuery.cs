using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Compliance.Web.Shared;

/// <summary>
/// Turns a MudDataGrid's server state (filters, multi-column sort, page) into a database query over a
/// row projection, so paging, sorting and filtering run in SQL and only one page reaches the circuit.
/// Row types must be member-initialised classes (not positional records) so EF Core can compose over them.
/// </summary>
public static class GridQuery
{
    /// <param name="paging">The grid's <see cref="GridPaging"/> for large tables: pages by keyset and reuses the total;
    /// without it every page counts and skips rows (fine for tables of hundreds).</param>
    /// <param name="scope">What else narrows <paramref name="rows"/> (a switch, a parent id): part of when a total still holds.</param>
    /// <param name="count">Counts the rows another way than <c>CountAsync</c>: given the grid's filters as a function, to
    /// apply to the query it counts from (the bindings grid counts active rows as all minus those not in force).</param>
    public static async Task<GridData<T>> PageAsync<T>(IQueryable<T> rows, GridState<T> state, CancellationToken ct,
        Expression<Func<T, object?>>? tieBreaker = null, GridPaging? paging = null, string scope = "",
        Func<Func<IQueryable<T>, IQueryable<T>>, CancellationToken, Task<int>>? count = null)
    {
        var filtered = Filter(rows, state.FilterDefinitions);
        int total;
        if (paging is not null && paging.TryReuseTotal(Signature(state, scope)))
        {
            total = paging.Total;
        }
        else
        {
            total = count is null ? await filtered.CountAsync(ct) : await count(q => Filter(q, state.FilterDefinitions), ct);
            paging?.Counted(total);
        }

        var keyset = paging is null ? null : Keyset<T>.For(state.SortDefinitions, tieBreaker);
        var items = paging is null || keyset is null
            ? await Sort(filtered, state.SortDefinitions, tieBreaker).Skip(state.Page * state.PageSize).Take(state.PageSize).ToListAsync(ct)
            : await KeysetPageAsync(filtered, state, tieBreaker, keyset, paging, total, ct);
        return new GridData<T> { Items = items, TotalItems = total };
    }

    private static async Task<List<T>> KeysetPageAsync<T>(IQueryable<T> filtered, GridState<T> state, Expression<Func<T, object?>>? tieBreaker,
        Keyset<T> keyset, GridPaging paging, int total, CancellationToken ct)
    {
        var (page, size) = (state.Page, state.PageSize);
        IQueryable<T> Forward(IQueryable<T> q) => Sort(q, state.SortDefinitions, tieBreaker);
        IQueryable<T> Backward(IQueryable<T> q) => Sort(q, state.SortDefinitions, tieBreaker, reversed: true);
        async Task<List<T>> Reversed(IQueryable<T> q)
        {
            var list = await q.ToListAsync(ct);
            list.Reverse();
            return list;
        }

        var rowsAfterPage = total - (page + 1) * size;
        var bounded = keyset.Bounded(filtered);
        var items =
            page == 0 ? await Forward(bounded).Take(size).ToListAsync(ct)
            : paging.TryGetEdges(page - 1, out var previous) ? await Forward(keyset.Beyond(filtered, previous.Last, backwards: false)).Take(size).ToListAsync(ct)
            : paging.TryGetEdges(page + 1, out var next) ? await Reversed(Backward(keyset.Beyond(filtered, next.First, backwards: true)).Take(size))
            : rowsAfterPage <= 0 ? await Reversed(Backward(bounded).Take(Math.Max(0, total - page * size)))
            // A jump: skip from the nearest remembered page, or from whichever end is nearer.
            : paging.NearestKnownBefore(page) is { } known && paging.TryGetEdges(known, out var edges) && (page - known - 1) * size <= rowsAfterPage
                ? await Forward(keyset.Beyond(filtered, edges.Last, backwards: false)).Skip((page - known - 1) * size).Take(size).ToListAsync(ct)
            : rowsAfterPage < page * size ? await Reversed(Backward(bounded).Skip(rowsAfterPage).Take(size))
            : await Forward(bounded).Skip(page * size).Take(size).ToListAsync(ct);
        if (items.Count > 0)
        {
            paging.Remember(page, keyset.KeyOf(items[0]), keyset.KeyOf(items[^1]));
        }

        return items;
    }

    private static string Signature<T>(GridState<T> state, string scope) => string.Join('\u001f',
        new[] { scope, state.PageSize.ToString(CultureInfo.InvariantCulture) }
            .Concat(state.FilterDefinitions.Select(f => $"{f.Column?.PropertyName}\u001e{f.Operator}\u001e{Convert.ToString(f.Value, CultureInfo.InvariantCulture)}"))
            .Concat(state.SortDefinitions.OrderBy(s => s.Index).Select(s => $"{s.SortBy}\u001e{s.Descending}")));

    public static IQueryable<T> Filter<T>(IQueryable<T> rows, IEnumerable<IFilterDefinition<T>> filters)
    {
        foreach (var f in filters)
        {
            if (f.Column?.PropertyName is not { Length: > 0 } name || typeof(T).GetProperty(name) is not { } property)
            {
                continue;
            }

            var row = Expression.Parameter(typeof(T), "r");
            var body = Condition(Expression.Property(row, property), property.PropertyType, f.Operator, f.Value);
            if (body is not null)
            {
                rows = rows.Where(Expression.Lambda<Func<T, bool>>(body, row));
            }
        }

        return rows;
    }

    public static IQueryable<T> Sort<T>(IQueryable<T> rows, ICollection<SortDefinition<T>> sorts, Expression<Func<T, object?>>? tieBreaker,
        bool reversed = false)
    {
        IOrderedQueryable<T>? ordered = null;
        foreach (var s in sorts.OrderBy(s => s.Index))
        {
            if (typeof(T).GetProperty(s.SortBy) is not { } property)
            {
                continue;
            }

            var row = Expression.Parameter(typeof(T), "r");
            var key = Expression.Lambda(Expression.Property(row, property), row);
            var method = (ordered is null, s.Descending != reversed) switch
            {
                (true, false) => nameof(Queryable.OrderBy),
                (true, true) => nameof(Queryable.OrderByDescending),
                (false, false) => nameof(Queryable.ThenBy),
                (false, true) => nameof(Queryable.ThenByDescending),
            };
            ordered = (IOrderedQueryable<T>)(ordered ?? rows).Provider.CreateQuery<T>(Expression.Call(
                typeof(Queryable), method, [typeof(T), property.PropertyType], (ordered ?? rows).Expression, Expression.Quote(key)));
        }

        // A stable order makes pages deterministic; it runs the way the first column does, so one index serves both.
        if (tieBreaker is null)
        {
            return (IQueryable<T>?)ordered ?? rows;
        }

        return (TieBreakerDescending(sorts) != reversed, ordered) switch
        {
            (false, null) => rows.OrderBy(tieBreaker),
            (true, null) => rows.OrderByDescending(tieBreaker),
            (false, _) => ordered.ThenBy(tieBreaker),
            (true, _) => ordered.ThenByDescending(tieBreaker),
        };
    }

    internal static bool TieBreakerDescending<T>(IEnumerable<SortDefinition<T>> sorts) =>
        sorts.OrderBy(s => s.Index).FirstOrDefault()?.Descending ?? false;

    private static Expression? Condition(MemberExpression member, Type type, string? op, object? value)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (op is FilterOperator.String.Empty or FilterOperator.Number.Empty or FilterOperator.Enum.Empty or FilterOperator.DateTime.Empty)
        {
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Expression.Constant(false)
                : underlying == typeof(string)
                    ? Expression.OrElse(Expression.Equal(member, Expression.Constant(null, type)), Expression.Equal(member, Expression.Constant("")))
                    : Expression.Equal(member, Expression.Constant(null, type));
        }

        if (op is FilterOperator.String.NotEmpty or FilterOperator.Number.NotEmpty or FilterOperator.Enum.NotEmpty or FilterOperator.DateTime.NotEmpty)
        {
            return Expression.Not(Condition(member, type, FilterOperator.String.Empty, null)!);
        }

        if (value is null || value is string { Length: 0 })
        {
            return null; // an operator picked but no value typed yet
        }

        if (underlying == typeof(string))
        {
            var text = Expression.Constant(value.ToString()!.Trim());
            return op switch
            {
                FilterOperator.String.Contains => Call(member, nameof(string.Contains), text),
                FilterOperator.String.NotContains => Expression.Not(Call(member, nameof(string.Contains), text)),
                FilterOperator.String.Equal => Expression.Equal(member, text),
                FilterOperator.String.NotEqual => Expression.NotEqual(member, text),
                FilterOperator.String.StartsWith => Call(member, nameof(string.StartsWith), text),
                FilterOperator.String.EndsWith => Call(member, nameof(string.EndsWith), text),
                _ => null,
            };
        }

        object converted;
        try
        {
            converted = underlying.IsEnum ? Enum.Parse(underlying, value.ToString()!) : Convert.ChangeType(value, underlying);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or ArgumentException or OverflowException)
        {
            return Expression.Constant(false); // a value that cannot match this column
        }

        var constant = Expression.Convert(Expression.Constant(converted), type);
        if (underlying == typeof(DateTime) && op is FilterOperator.DateTime.Is or FilterOperator.DateTime.IsNot)
        {
            // "Is" a date means that whole day.
            var day = ((DateTime)converted).Date;
            var from = Expression.Convert(Expression.Constant(DateTime.SpecifyKind(day, DateTimeKind.Utc)), type);
            var to = Expression.Convert(Expression.Constant(DateTime.SpecifyKind(day.AddDays(1), DateTimeKind.Utc)), type);
            var within = Expression.AndAlso(Expression.GreaterThanOrEqual(member, from), Expression.LessThan(member, to));
            return op == FilterOperator.DateTime.Is ? within : Expression.Not(within);
        }

        return op switch
        {
            FilterOperator.Number.Equal or FilterOperator.Enum.Is or FilterOperator.Boolean.Is => Expression.Equal(member, constant),
            FilterOperator.Number.NotEqual or FilterOperator.Enum.IsNot => Expression.NotEqual(member, constant),
            FilterOperator.Number.GreaterThan or FilterOperator.DateTime.After => Compare(Expression.GreaterThan, member, constant, underlying),
            FilterOperator.Number.GreaterThanOrEqual or FilterOperator.DateTime.OnOrAfter => Compare(Expression.GreaterThanOrEqual, member, constant, underlying),
            FilterOperator.Number.LessThan or FilterOperator.DateTime.Before => Compare(Expression.LessThan, member, constant, underlying),
            FilterOperator.Number.LessThanOrEqual or FilterOperator.DateTime.OnOrBefore => Compare(Expression.LessThanOrEqual, member, constant, underlying),
            _ => null,
        };
    }

    // Enums (impact levels) compare by their numeric value, as stored.
    private static Expression Compare(Func<Expression, Expression, BinaryExpression> compare, Expression member, Expression constant, Type underlying) =>
        underlying.IsEnum
            ? compare(Expression.Convert(member, typeof(int)), Expression.Convert(constant, typeof(int)))
            : compare(member, constant);

    private static MethodCallExpression Call(Expression member, string method, Expression argument) =>
        Expression.Call(member, typeof(string).GetMethod(method, BindingFlags.Public | BindingFlags.Instance, [typeof(string)])!, argument);
}
