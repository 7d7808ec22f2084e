namespace Compliance.Domain;

/// <summary>Conversions between single values and the flag sets that scopes store.</summary>
public static class Sets
{
    public static Sectors ToSet(this Sector sector) => (Sectors)(1 << (int)sector);

    public static Usages ToSet(this Usage usage) => (Usages)(int)usage;

    public static bool Covers(this Sectors scope, Sector sector) => scope == Sectors.None || (scope & sector.ToSet()) != 0;

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
