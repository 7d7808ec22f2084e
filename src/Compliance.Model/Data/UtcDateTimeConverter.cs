using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Compliance.Data;

/// <summary>Stores DateTime as UTC and marks values read back as UTC.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc))
{
    /// <summary>
    /// The time cut to whole microseconds, the precision PostgreSQL's <c>timestamp with time zone</c> keeps (a .NET tick
    /// is 100 ns). The audit trail hashes and compares times exactly, so a value must be what the database gives back.
    /// </summary>
    public static DateTime ToMicroseconds(DateTime value) => new(value.Ticks - value.Ticks % 10, value.Kind);
}
