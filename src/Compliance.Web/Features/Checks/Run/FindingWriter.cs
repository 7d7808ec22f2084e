using System.Data.Common;
using Compliance.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// What every engine's finding writer shares: one transaction on the DbContext's connection (opened through EF, so the
/// SQLite pragmas run), the run's change log, and the common end of a run — waivers, totals, the one <c>Findings</c>
/// audit event, commit. Disposing before <see cref="End"/> rolls everything back.
/// </summary>
internal abstract class FindingWriter<TConnection, TTransaction> : IFindingWriter
    where TConnection : DbConnection
    where TTransaction : DbTransaction
{
    private readonly ComplianceDb _db;
    private readonly string? _afterTransaction;
    private bool _completed;

    /// <param name="beforeTransaction">Connection settings the engine takes only outside a transaction (SQLite's pragmas).</param>
    /// <param name="afterTransaction">What undoes them before the connection goes back to the pool.</param>
    protected FindingWriter(ComplianceDb db, int run, DateTime at, string? beforeTransaction = null, string? afterTransaction = null)
    {
        _db = db;
        Run = run;
        At = at;
        _afterTransaction = afterTransaction;
        db.Database.OpenConnection();
        Connection = (TConnection)db.Database.GetDbConnection();
        if (beforeTransaction is not null)
        {
            CheckStore.Execute(Connection, null, beforeTransaction);
        }

        Tx = (TTransaction)Connection.BeginTransaction(); // SQLite: BEGIN IMMEDIATE, so what the writer reads first stays true until commit
    }

    protected TConnection Connection { get; }

    protected TTransaction Tx { get; }

    protected int Run { get; }

    protected DateTime At { get; }

    protected FindingChangeLog Log { get; } = new();

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
        _completed = true;
        return totals;
    }

    /// <summary>The engine's own resources (prepared commands, a COPY stream, a chunk), released before the transaction.</summary>
    protected virtual void DisposeOwn()
    {
    }

    public void Dispose()
    {
        DisposeOwn();
        if (!_completed)
        {
            Tx.Rollback();
        }

        Tx.Dispose();
        if (_afterTransaction is not null)
        {
            CheckStore.Execute(Connection, null, _afterTransaction);
        }

        _db.Database.CloseConnection();
    }
}
