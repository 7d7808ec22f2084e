using System.Diagnostics;
using System.Linq.Expressions;
using MudBlazor;

namespace Compliance.Web.Shared;

/// <summary>
/// One grid's memory of where its pages begin and end, so a large table pages by index ranges (keyset) instead of
/// skipping rows: the pager's next, previous, first and last pages each read one range whatever the depth, where
/// OFFSET reads every row before the page. It also keeps the total for the current filters for a short while: an
/// exact count over a million rows costs tens of milliseconds, and paging does not change it. Owned by the grid
/// component (one per circuit and grid), so it needs no locking.
/// </summary>
public sealed class GridPaging
{
    private readonly Dictionary<int, (object?[] First, object?[] Last)> _edges = [];
    private string? _signature;
    private long _countedAt;

    /// <summary>How long a total is reused while only the page changes; <see cref="Reset"/> forgets it at once.</summary>
    public TimeSpan CountLifetime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Forget the total and the page edges (after the grid's data changed).</summary>
    public void Reset()
    {
        _signature = null;
        _edges.Clear();
    }

    internal int Total { get; private set; }

    /// <summary>True when <see cref="Total"/> still holds for this view; otherwise starts a new view.</summary>
    internal bool TryReuseTotal(string signature)
    {
        if (_signature == signature && Stopwatch.GetElapsedTime(_countedAt) < CountLifetime)
        {
            return true;
        }

        if (_signature != signature)
        {
            _edges.Clear();
        }

        _signature = signature;
        return false;
    }

    internal void Counted(int total)
    {
        Total = total;
        _countedAt = Stopwatch.GetTimestamp();
    }

    internal bool TryGetEdges(int page, out (object?[] First, object?[] Last) edges) => _edges.TryGetValue(page, out edges);

    internal int? NearestKnownBefore(int page) => _edges.Keys.Where(p => p < page).Select(p => (int?)p).Max();

    internal void Remember(int page, object?[] first, object?[] last) => _edges[page] = (first, last);
}

/// <summary>Keyset reads for <see cref="GridQuery"/>: the order's keys, and "rows after (or before) this key" as SQL.</summary>
internal sealed class Keyset<T>
{
    private readonly List<(System.Reflection.PropertyInfo Property, bool Descending)> _keys;

    private Keyset(List<(System.Reflection.PropertyInfo, bool)> keys) => _keys = keys;

    /// <summary>The sort's columns plus the tie-breaker, or null when a column cannot be compared in SQL as a key.</summary>
    public static Keyset<T>? For(ICollection<SortDefinition<T>> sorts, Expression<Func<T, object?>>? tieBreaker)
    {
        var idName = (tieBreaker?.Body is UnaryExpression { Operand: MemberExpression m } ? m : tieBreaker?.Body as MemberExpression)?.Member.Name;
        if (idName is null || typeof(T).GetProperty(idName) is not { } id)
        {
            return null;
        }

        var keys = new List<(System.Reflection.PropertyInfo, bool)>();
        foreach (var s in sorts.OrderBy(s => s.Index))
        {
            if (typeof(T).GetProperty(s.SortBy) is not { } property || !Comparable(property.PropertyType))
            {
                return null; // nullable or unordered columns page by OFFSET
            }

            keys.Add((property, s.Descending));
        }

        keys.Add((id, GridQuery.TieBreakerDescending(sorts)));
        return new Keyset<T>(keys);
    }

    public object?[] KeyOf(T row) => _keys.Select(k => k.Property.GetValue(row)).ToArray();

    /// <summary>Rows strictly after <paramref name="key"/> in the order (or before it, reading the order backwards).</summary>
    public IQueryable<T> Beyond(IQueryable<T> rows, object?[] key, bool backwards)
    {
        var row = Expression.Parameter(typeof(T), "r");
        Expression? any = null;
        Expression equalSoFar = Expression.Constant(true);
        for (var i = 0; i < _keys.Count; i++)
        {
            var (property, descending) = _keys[i];
            var member = Expression.Property(row, property);
            var value = Parameter(key[i], property.PropertyType);
            var after = descending != backwards ? ExpressionType.LessThan : ExpressionType.GreaterThan;
            var step = Expression.AndAlso(equalSoFar, Compare(after, member, value));
            any = any is null ? step : Expression.OrElse(any, step);
            equalSoFar = Expression.AndAlso(equalSoFar, Compare(ExpressionType.Equal, member, value));
        }

        // The first key's bound on its own lets the database start the index range there instead of filtering.
        var (first, firstDescending) = _keys[0];
        var bound = Compare(firstDescending != backwards ? ExpressionType.LessThanOrEqual : ExpressionType.GreaterThanOrEqual,
            Expression.Property(row, first), Parameter(key[0], first.PropertyType));
        return rows.Where(Expression.Lambda<Func<T, bool>>(Expression.AndAlso(bound, any!), row));
    }

    // A key read through a field of a constant object becomes a SQL parameter (as a captured variable does), so every
    // page shares one compiled query and one prepared statement; a plain constant would compile a new query per page.
    private static Expression Parameter(object? value, Type type)
    {
        var holder = Activator.CreateInstance(typeof(KeysetValue<>).MakeGenericType(type))!;
        holder.GetType().GetField(nameof(KeysetValue<int>.Value))!.SetValue(holder, value);
        return Expression.Field(Expression.Constant(holder), nameof(KeysetValue<int>.Value));
    }

    /// <summary>
    /// The rows with an always-true lower bound on the first sort key. Read from either end without a key, SQLite 3.53
    /// read a filter's index and sorted half a million rows (0.4 s) rather than walk the sort's index; a range on the
    /// sort key makes walking that index the cheaper plan in its eyes too.
    /// </summary>
    public IQueryable<T> Bounded(IQueryable<T> rows)
    {
        var (first, _) = _keys[0];
        var type = first.PropertyType;
        object lowest = type == typeof(string) ? "" : type.IsEnum ? Enum.ToObject(type, int.MinValue) : type.GetField("MinValue")!.GetValue(null)!;
        var row = Expression.Parameter(typeof(T), "r");
        var bound = Compare(ExpressionType.GreaterThanOrEqual, Expression.Property(row, first), Parameter(lowest, type));
        return rows.Where(Expression.Lambda<Func<T, bool>>(bound, row));
    }

    private static bool Comparable(Type type) =>
        type == typeof(string) || type == typeof(DateTime) || type.IsEnum
        || type == typeof(int) || type == typeof(long) || type == typeof(decimal) || type == typeof(double);

    // Strings compare through string.Compare (which EF Core translates to < and >), enums as their stored numbers.
    private static Expression Compare(ExpressionType op, Expression member, Expression value)
    {
        if (member.Type == typeof(string))
        {
            if (op == ExpressionType.Equal) return Expression.Equal(member, value);
            var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, member, value);
            return Expression.MakeBinary(op, compare, Expression.Constant(0));
        }

        return member.Type.IsEnum
            ? Expression.MakeBinary(op, Expression.Convert(member, typeof(int)), Expression.Convert(value, typeof(int)))
            : Expression.MakeBinary(op, member, value);
    }
}

/// <summary>Holds one keyset value so EF Core sends it as a parameter (see <c>Keyset.Parameter</c>).</summary>
internal sealed class KeysetValue<TValue>
{
    public TValue Value = default!;
}
