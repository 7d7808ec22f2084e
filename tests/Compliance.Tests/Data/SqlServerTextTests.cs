using System.Reflection;
using Compliance.Data.Audit;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Data;

/// <summary>
/// SQL Server cannot run here, so every T-SQL text the app can send it is at least parsed as SQL Server 2022 parses it:
/// the migration script and each command text of the check store (its model re-check and the decision's workload read
/// included), the change log, the instance lock and the audit chain. A syntax error fails CI before it reaches a production server.
/// </summary>
public sealed class SqlServerTextTests
{
    private static readonly string[] Statements = ["SELECT", "UPDATE", "INSERT", "DELETE", "MERGE", "CREATE", "DROP", "EXEC", "WITH", "DECLARE", "IF"];

    /// <summary>Types whose constant command texts reach SQL Server (shared by every engine, or SQL Server's own).</summary>
    private static readonly Type[] SendingTypes =
    [
        typeof(CheckStore), typeof(SqlServerCheckStore), typeof(FindingChangeLog), typeof(WorkloadFactsReader), typeof(AuditTrail),
        typeof(Compliance.Web.Jobs.InstanceLock), typeof(ModelFindings),
    ];

    public static TheoryData<string, string> CommandTexts()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in SendingTypes.SelectMany(t => (Type[])[t, .. t.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic)]))
        {
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                         .Where(f => f.IsLiteral && f.FieldType == typeof(string)))
            {
                var sql = ((string)field.GetRawConstantValue()!).Trim();
                if (!Statements.Any(s => sql.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
                {
                    continue; // a fragment (a condition, a column list) or not SQL at all
                }

                data.Add($"{type.Name}.{field.Name}", sql);
                if (sql.StartsWith("UPDATE \"Findings\"", StringComparison.Ordinal) && sql.Contains(" WHERE ", StringComparison.Ordinal))
                {
                    data.Add($"{type.Name}.{field.Name} with OUTPUT", FindingChangeLog.ReportingChangedRows(sql, sqlServer: true));
                }
            }
        }

        data.Add("FindingChangeLog read-back of every row", FindingChangeLog.ReadBackSql(null));
        data.Add("FindingChangeLog read-back of a model's rows", FindingChangeLog.ReadBackSql(ModelFindings.OfModel));
        return data;
    }

    private static IList<ParseError> Parse(TextReader text)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(text, out var errors);
        return errors;
    }

    private static string Describe(IList<ParseError> errors) =>
        string.Join("\n", errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"));

    [Theory]
    [MemberData(nameof(CommandTexts))]
    public void Each_command_text_sent_to_sql_server_parses_as_t_sql(string name, string sql)
    {
        var errors = Parse(new StringReader(sql));

        Assert.True(errors.Count == 0, $"{name} is not valid T-SQL:\n{Describe(errors)}\n{sql}");
    }

    [Fact]
    public void The_texts_cover_the_check_store_the_change_log_and_the_audit_chain()
    {
        var names = CommandTexts().Select(row => (string)row[0]).ToList();

        Assert.Contains("SqlServerCheckStore.ScanBindings", names);
        Assert.Contains(names, n => n.StartsWith("Writer.Merge", StringComparison.Ordinal) || n.EndsWith(".Merge", StringComparison.Ordinal));
        Assert.Contains("CheckStore.ResolveUnseen with OUTPUT", names);
        Assert.Contains("AuditTrail.InsertSql", names);
        Assert.Contains("AuditTrail.SqlServerChainLock", names);
        Assert.Contains("InstanceLock.SqlServerTake", names);
        Assert.Contains("InstanceLock.SqlServerRelease", names);
        Assert.Contains("WorkloadFactsReader.Select", names);
        Assert.Contains("ModelFindings.ActiveBindingsOfModel", names);
        Assert.Contains("ModelFindings.ApplyWaivers with OUTPUT", names);
    }

    [Fact]
    public void A_syntax_error_would_be_caught()
    {
        Assert.NotEmpty(Parse(new StringReader("UPDATE \"Findings\" SET \"Status\" = WHERE \"Id\" = @id")));
    }

    [Fact]
    public void The_sql_server_migration_script_parses_as_t_sql()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "db", "sqlserver", "compliance.sql")))
        {
            dir = dir.Parent;
        }

        using var script = File.OpenText(Path.Combine(dir?.FullName ?? throw new FileNotFoundException("db/sqlserver/compliance.sql"), "db", "sqlserver", "compliance.sql"));
        var errors = Parse(script);

        Assert.True(errors.Count == 0, "db/sqlserver/compliance.sql is not valid T-SQL:\n" + Describe(errors));
    }
}
