using System.Data.Common;
using Compliance.Data;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// What every engine's finding writer shares beyond its transaction (<see cref="StoreTransaction{TConnection, TTransaction}"/>):
/// the common end of a run — waivers, totals, the one <c>Findings</c> audit event, commit. Disposing before
/// <see cref="End"/> rolls everything back.
/// </summary>
internal abstract class FindingWriter<TConnection, TTransaction>(ComplianceDb db, int run, DateTime at, string? beforeTransaction = null, string? afterTransaction = null)
    : StoreTransaction<TConnection, TTransaction>(db, beforeTransaction, afterTransaction), IFindingWriter
    where TConnection : DbConnection
    where TTransaction : DbTransaction
{
    protected int Run { get; } = run;

    protected DateTime At { get; } = at;

    public abstract void Write(in FindingRow finding);

    public abstract FindingTotals Complete(CancellationToken ct);

    /// <summary>
    /// The common end, once the engine has written and resolved: waivers and totals (<see cref="CheckStore.Finish"/>), the
    /// run's audit event (the LastSeen stamp touched every active finding: the event says so once instead of listing them), commit.
    /// </summary>
    protected FindingTotals End(object now, int activeBefore, int resolved, CancellationToken ct)
    {
        var totals = CheckStore.Finish(Connection, Tx, now, activeBefore, resolved, Log);
        Log.Record(Connection, Tx, At, Run, seen: null, $"run {Run}", $"Check run {Run}: {Log.Count} finding(s) changed", ct);
        Tx.Commit();
        return totals;
    }
}
