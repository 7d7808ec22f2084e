using System.Data.Common;
using Compliance.Data;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// One transaction of a check store's writer on the DbContext's connection, opened through EF (so the SQLite pragmas
/// run), with the change log the run's <c>Findings</c> audit event is built from. Disposing without a commit rolls back;
/// the connection is closed however the writer ends, a failed start included.
/// </summary>
internal abstract class StoreTransaction<TConnection, TTransaction> : IDisposable
    where TConnection : DbConnection
    where TTransaction : DbTransaction
{
    private readonly ComplianceDb _db;
    private readonly string? _afterTransaction;

    /// <param name="beforeTransaction">Connection settings the engine takes only outside a transaction (SQLite's pragmas).</param>
    /// <param name="afterTransaction">What undoes them before the connection goes back to the pool.</param>
    protected StoreTransaction(ComplianceDb db, string? beforeTransaction = null, string? afterTransaction = null)
    {
        _db = db;
        _afterTransaction = afterTransaction;
        db.Database.OpenConnection();
        Connection = (TConnection)db.Database.GetDbConnection();
        try
        {
            if (beforeTransaction is not null)
            {
                CheckStore.Execute(Connection, null, beforeTransaction);
            }

            Tx = (TTransaction)Connection.BeginTransaction(); // SQLite: BEGIN IMMEDIATE, so what the writer reads first stays true until commit
        }
        catch
        {
            Release();
            throw;
        }
    }

    protected TConnection Connection { get; }

    protected TTransaction Tx { get; }

    protected FindingChangeLog Log { get; } = new();

    /// <summary>The writer's own resources (prepared commands, a COPY stream, a chunk), released before the transaction.</summary>
    protected virtual void DisposeOwn()
    {
    }

    public void Dispose()
    {
        DisposeOwn();
        Tx.Dispose(); // rolls back unless committed, on every engine
        Release();
    }

    private void Release()
    {
        if (_afterTransaction is not null)
        {
            CheckStore.Execute(Connection, null, _afterTransaction);
        }

        _db.Database.CloseConnection();
    }
}
