namespace Compliance.Tests.Infrastructure;

/// <summary>A clock a test moves by hand; starts at the real now so demo data (seeded relative to today) lines up.</summary>
public sealed class TestClock : TimeProvider
{
    public DateTime UtcNow { get; set; } = DateTime.UtcNow;

    public override DateTimeOffset GetUtcNow() => new(UtcNow, TimeSpan.Zero);

    public override long GetTimestamp() => UtcNow.Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => UtcNow += by;
}
