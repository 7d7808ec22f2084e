using Microsoft.Data.Sqlite;

namespace Compliance.Web.Data;

/// <summary>Resolves the SQLite file under the content root and makes sure its folder exists.</summary>
public static class SqliteFile
{
    public static string Prepare(string? connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connectionString)
            ? $"Data Source={DatabaseOptions.DefaultSqliteFile}"
            : connectionString);
        if (csb.DataSource != ":memory:" && csb.Mode != SqliteOpenMode.Memory && !Path.IsPathRooted(csb.DataSource))
        {
            csb.DataSource = Path.GetFullPath(Path.Combine(contentRoot, csb.DataSource));
        }

        if (Path.GetDirectoryName(csb.DataSource) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        // Concurrent circuits and jobs wait for the writer instead of failing at once.
        csb.DefaultTimeout = Math.Max(csb.DefaultTimeout, 30);
        return csb.ToString();
    }

    /// <summary>The folder beside the database file: Hangfire's storage, keys and certificates live there.</summary>
    public static string DataFolder(string connectionString) =>
        Path.GetDirectoryName(new SqliteConnectionStringBuilder(connectionString).DataSource) ?? AppContext.BaseDirectory;
}
