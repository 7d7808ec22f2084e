using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Compliance.Web.Features.Shared;

/// <summary>
/// Turns a MudDataGrid's server state (filters, multi-column sort, page) into a database query over a
/// row projection, so paging, sorting and filtering run in SQL and only one page reaches the circuit.
/// Row types must be member-initialised classes (not positional records) so EF Core can compose over them.
/// </summary>
public static class GridQuery
{
    public static async Task<GridData<T>> PageAsync<T>(IQueryable<T> rows, GridState<T> state, CancellationToken ct,
        Expression<Func<T, object?>>? tieBreaker = null)
    {
        var filtered = Filter(rows, state.FilterDefinitions);
        var total = await filtered.CountAsync(ct);
        var sorted = Sort(filtered, state.SortDefinitions, tieBreaker);
        var items = await sorted.Skip(state.Page * state.PageSize).Take(state.PageSize).ToListAsync(ct);
        return new GridData<T> { Items = items, TotalItems = total };
    }

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

    public static IQueryable<T> Sort<T>(IQueryable<T> rows, ICollection<SortDefinition<T>> sorts, Expression<Func<T, object?>>? tieBreaker)
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
            var method = (ordered is null, s.Descending) switch
            {
                (true, false) => nameof(Queryable.OrderBy),
                (true, true) => nameof(Queryable.OrderByDescending),
                (false, false) => nameof(Queryable.ThenBy),
                (false, true) => nameof(Queryable.ThenByDescending),
            };
            ordered = (IOrderedQueryable<T>)(ordered ?? rows).Provider.CreateQuery<T>(Expression.Call(
                typeof(Queryable), method, [typeof(T), property.PropertyType], (ordered ?? rows).Expression, Expression.Quote(key)));
        }

        // A stable order makes pages deterministic.
        return tieBreaker is null ? (IQueryable<T>?)ordered ?? rows
            : ordered?.ThenBy(tieBreaker) ?? rows.OrderBy(tieBreaker);
    }

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
