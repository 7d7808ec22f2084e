namespace Compliance.Web.Features.Dashboard;

/// <summary>
/// The posture as every staff dashboard shows it. Immutable, so all open dashboards can hold the same instance
/// (<see cref="PostureCache"/>); the daily trend beside it is shared the same way (<see cref="PostureTrends"/>).
/// </summary>
public sealed record PostureSnapshot(Posture Posture)
{
    public static PostureSnapshot Of(Posture posture) => new(posture);
}
