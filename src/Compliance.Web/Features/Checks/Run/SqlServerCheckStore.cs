using System.Data;
using System.Data.Common;
using Compliance.Data;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// SQL Server: bindings scanned on a second connection; findings bulk-copied into a session temp table in chunks,
/// then merged into <c>Findings</c> in one statement, all in one transaction on the DbContext's connection.
/// Compiled and reviewed here; SQL Server cannot run on the development machines.
/// </summary>
public sealed class SqlServerCheckStore(ComplianceDb db) : ReaderCheckStore(db)
{
    private const string ScanBindings =
        "SELECT [Id], [ModelId], [WorkloadId], [Usage] FROM [Bindings] WHERE [Id] >= @from AND [Id] <= @to AND ([To] IS NULL OR [To] > @now)";

    protected override DbConnection NewConnection(string connectionString) => new SqlConnection(connectionString);

    protected override void PrepareScan(DbCommand command, DateTime at, int fromId, int toId)
    {
        var cmd = (SqlCommand)command;
        cmd.CommandText = ScanBindings;
        cmd.Parameters.Add("@from", SqlDbType.Int).Value = fromId;
        cmd.Parameters.Add("@to", SqlDbType.Int).Value = toId;
        cmd.Parameters.Add("@now", SqlDbType.DateTime2).Value = at;
    }

    public override IFindingWriter BeginFindings(int checkRunId, DateTime at) => new Writer(Db, checkRunId, at);

    private sealed class Writer : FindingWriter<SqlConnection, SqlTransaction>
    {
        private const int ChunkSize = 20_000;

        private const string CreateTemp = """
            CREATE TABLE #CheckFindings (
                [BindingId] int NOT NULL, [Rule] int NOT NULL, [Severity] int NOT NULL, [Detail] nvarchar(1000) NOT NULL,
                [RestrictionId] int NULL, [ApprovalId] int NULL,
                PRIMARY KEY ([BindingId], [Rule]))
            """;

        private const string DropTemp = "DROP TABLE #CheckFindings";

        private const string Merge = """
            MERGE [Findings] WITH (HOLDLOCK) AS t
            USING #CheckFindings AS s ON t.[BindingId] = s.[BindingId] AND t.[Rule] = s.[Rule]
            WHEN MATCHED THEN UPDATE SET
                [Severity] = s.[Severity], [LastSeen] = @now, [Detail] = s.[Detail], [RestrictionId] = s.[RestrictionId],
                [ApprovalId] = s.[ApprovalId], [LastCheckRunId] = @run,
                [Status] = CASE WHEN t.[Status] = 2 THEN 0 ELSE t.[Status] END, [ResolvedAt] = NULL
            WHEN NOT MATCHED BY TARGET THEN
                INSERT ([BindingId], [Rule], [Severity], [Status], [FirstSeen], [LastSeen], [ResolvedAt], [Detail], [RestrictionId], [ApprovalId], [LastCheckRunId])
                VALUES (s.[BindingId], s.[Rule], s.[Severity], 0, @now, @now, NULL, s.[Detail], s.[RestrictionId], s.[ApprovalId], @run)
            OUTPUT inserted.[BindingId], inserted.[Rule],
                CASE WHEN deleted.[BindingId] IS NULL OR deleted.[Status] = 2 OR deleted.[Severity] <> inserted.[Severity]
                    OR deleted.[Detail] <> inserted.[Detail] OR ISNULL(deleted.[RestrictionId], -1) <> ISNULL(inserted.[RestrictionId], -1)
                    OR ISNULL(deleted.[ApprovalId], -1) <> ISNULL(inserted.[ApprovalId], -1) THEN 1 ELSE 0 END;
            """;

        private readonly DataTable _chunk = new();
        private readonly int _activeBefore;

        public Writer(ComplianceDb db, int run, DateTime now)
            : base(db, run, now)
        {
            _activeBefore = CheckStore.Scalar(Connection, Tx, CheckStore.ActiveFindings);
            CheckStore.Execute(Connection, Tx, CreateTemp);
            _chunk.Columns.Add("BindingId", typeof(int));
            _chunk.Columns.Add("Rule", typeof(int));
            _chunk.Columns.Add("Severity", typeof(int));
            _chunk.Columns.Add("Detail", typeof(string));
            _chunk.Columns.Add("RestrictionId", typeof(int));
            _chunk.Columns.Add("ApprovalId", typeof(int));
        }

        public override void Write(in FindingRow f)
        {
            _chunk.Rows.Add(f.BindingId, (int)f.Rule, (int)f.Severity, CheckStore.Clip(f.Detail),
                f.RestrictionId is { } r ? r : DBNull.Value, f.ApprovalId is { } a ? a : DBNull.Value);
            if (_chunk.Rows.Count >= ChunkSize)
            {
                Flush();
            }
        }

        private void Flush()
        {
            if (_chunk.Rows.Count == 0)
            {
                return;
            }

            using var copy = new SqlBulkCopy(Connection, SqlBulkCopyOptions.Default, Tx)
            {
                DestinationTableName = "#CheckFindings",
                BulkCopyTimeout = 0,
            };
            foreach (DataColumn column in _chunk.Columns)
            {
                copy.ColumnMappings.Add(column.ColumnName, column.ColumnName);
            }

            copy.WriteToServer(_chunk);
            _chunk.Clear();
        }

        public override FindingTotals Complete(CancellationToken ct)
        {
            Flush();
            ct.ThrowIfCancellationRequested();
            using (var merge = new SqlCommand(Merge, Connection, Tx) { CommandTimeout = 0 })
            {
                merge.Parameters.Add("@now", SqlDbType.DateTime2).Value = At;
                merge.Parameters.Add("@run", SqlDbType.Int).Value = Run;
                // Every matched row gets LastSeen (the stamp); only those whose content changed (or were new or resolved) go into the event.
                using var changed = merge.ExecuteReader();
                while (changed.Read())
                {
                    if (changed.GetInt32(2) == 1)
                    {
                        Log.Changed(changed.GetInt32(0), changed.GetInt32(1));
                    }
                }
            }

            var resolved = Log.Execute(Connection, Tx, CheckStore.ResolveUnseen, ("@now", At), ("@run", Run));
            CheckStore.Execute(Connection, Tx, DropTemp);
            return End(At, _activeBefore, resolved, ct);
        }

        protected override void DisposeOwn() => _chunk.Dispose();
    }
}
