namespace Compliance.Domain;

/// <summary>Conversions between single values and the flag sets that scopes store.</summary>
public static class Sets
{
    public static Sectors ToSet(this Sector sector) => (Sectors)(1 << (int)sector);

    public static Usages ToSet(this Usage usage) => (Usages)(int)usage;

    public static bool Covers(this Sectors scope, Sector sector) => scope == Sectors.None || (scope & sector.ToSet()) != 0;

    /// <summary>A usage scope of a restriction: <see cref="Usages.None"/> (as <see cref="Usages.All"/>) means any usage.</summary>
    public static bool CoversAsScope(this Usages scope, Usage usage) => scope == Usages.None || (scope & usage.ToSet()) != 0;

    /// <summary>A hosting scope: empty means any hosting; names compare case-insensitively, as hostings are typed in.</summary>
    public static bool CoversHosting(this IReadOnlyList<string> scope, string hosting)
    {
        if (scope.Count == 0)
        {
            return true;
        }

        for (var i = 0; i < scope.Count; i++)
        {
            if (string.Equals(scope[i], hosting, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static IEnumerable<T> Members<T>(this T set) where T : struct, Enum
    {
        var bits = Convert.ToInt64(set);
        foreach (var value in Enum.GetValues<T>())
        {
            var v = Convert.ToInt64(value);
            if (v != 0 && (v & (v - 1)) == 0 && (bits & v) == v)
            {
                yield return value;
            }
        }
    }
}
