namespace Compliance.Tests.Infrastructure;

/// <summary>A clock a test moves by hand; starts at the real now so demo data (seeded relative to today) lines up.</summary>
public sealed class TestClock : TimeProvider
{
    /// <summary>Whole microseconds, as every engine stores a time (PostgreSQL keeps no finer), so tests compare exactly.</summary>
    public DateTime UtcNow { get; set; } = Compliance.Data.UtcDateTimeConverter.ToMicroseconds(DateTime.UtcNow);

    public override DateTimeOffset GetUtcNow() => new(UtcNow, TimeSpan.Zero);

    public override long GetTimestamp() => UtcNow.Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => UtcNow += by;
}
