using Compliance.Data;
using Compliance.Web.Jobs;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// Serialises check runs and model re-checks across every instance on one server database (in a process,
/// <see cref="CheckRunner"/>'s semaphore does it) through <see cref="InstanceLock"/>. A process killed mid-run loses its
/// session and with it the lock at once (no expiry to wait for), so a run still marked Running when the lock is taken
/// was interrupted — the same conclusion the runner draws within one process.
/// </summary>
internal static class CheckRunLock
{
    /// <summary>The SQL Server application lock's resource, as earlier versions named it (a rolling upgrade shares it).</summary>
    internal const string Name = "compliance-check-run";

    /// <summary>"check-ru" in ASCII: the PostgreSQL key earlier versions take, kept for the same reason.</summary>
    internal const long Key = 0x636865636B2D7275;

    public static Task<InstanceLock> AcquireAsync(ComplianceDb db, CancellationToken ct) => InstanceLock.AcquireAsync(db, Name, Key, ct);
}
