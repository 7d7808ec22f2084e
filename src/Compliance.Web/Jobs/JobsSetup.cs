using Compliance.Web.Auth;
using Compliance.Web.Data;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;

namespace Compliance.Web.Jobs;

/// <summary>Configuration section <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    /// <summary><c>Jobs:Enabled</c>: run the Hangfire server and register recurring jobs in this process (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Jobs:WorkerCount</c>: 0 means two per processor, between 2 and 8.</summary>
    public int WorkerCount { get; set; }

    /// <summary>
    /// <c>Jobs:OrphanTimeout</c> (PostgreSQL storage): how long a job whose process died mid-run (no more heartbeats)
    /// stays taken before another instance runs it. Default 5 minutes.
    /// </summary>
    public TimeSpan OrphanTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Hangfire: persistent SQLite storage in a file beside the database in the embedded default (single instance:
/// two processes on one SQLite storage run some jobs twice), SQL Server storage when <c>Database:Provider</c> is
/// SqlServer, PostgreSQL storage (schema <c>hangfire</c> in the app's database) when it is PostgreSql: on a server
/// engine jobs are distributed across every instance, each taken by one worker; the server (unless <c>Jobs:Enabled</c> is false); the dashboard at <c>/jobs</c> for administrators.
/// </summary>
public static class JobsSetup
{
    public const string HangfireFileName = "hangfire.db";

    /// <summary>Longer than the longest job (a check over millions of bindings takes seconds; a list sync minutes).</summary>
    public static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromHours(2);

    public static WebApplicationBuilder AddComplianceJobs(this WebApplicationBuilder builder)
    {
        var jobs = builder.Configuration.GetSection("Jobs").Get<JobsOptions>() ?? new JobsOptions();
        builder.Services.AddSingleton(jobs);
        var database = DatabaseOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (database.Provider == DatabaseProvider.SqlServer)
            {
                config.UseSqlServerStorage(database.ConnectionString, new SqlServerStorageOptions
                {
                    SqlClientFactory = Microsoft.Data.SqlClient.SqlClientFactory.Instance,
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = TimeSpan.Zero, // long polling on SQL Server
                    SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
                    CommandBatchMaxTimeout = TimeSpan.FromMinutes(5),
                    UseRecommendedIsolationLevel = true,
                    DisableGlobalLocks = true,
                });
            }
            else if (database.Provider == DatabaseProvider.PostgreSql)
            {
                config.UsePostgreSqlStorage(c => c.UseNpgsqlConnection(database.ConnectionString), new PostgreSqlStorageOptions
                {
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                    // A worker's heartbeat keeps its job invisible to others while it runs; a process killed mid-run
                    // stops beating, and its job is handed to another instance after this long (not after hours).
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = jobs.OrphanTimeout,
                    DistributedLockTimeout = TimeSpan.FromMinutes(1),
                });
            }
            else
            {
                config.UseSQLiteStorage(StorageFile(database), new SQLiteStorageOptions
                {
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                    InvisibilityTimeout = InvisibilityTimeout,
                    // A killed process's locks (the schedulers') block the restarted
                    // one until they expire; a live holder renews them, so a few seconds is safe.
                    DistributedLockLifetime = TimeSpan.FromSeconds(5),
                });
            }
        });

        if (jobs.Enabled)
        {
            builder.Services.AddHangfireServer(options =>
            {
                options.WorkerCount = jobs.WorkerCount > 0 ? jobs.WorkerCount : Math.Clamp(Environment.ProcessorCount * 2, 2, 8);
                options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                options.ShutdownTimeout = TimeSpan.FromSeconds(15);
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }

        return builder;
    }

    /// <summary>
    /// The dashboard at <c>/jobs</c> (Administrator policy on the endpoint, and the role checked again by the dashboard)
    /// and the recurring jobs each feature registered (<see cref="RecurringJobsRegistration.AddRecurringJobs"/>).
    /// </summary>
    public static WebApplication UseComplianceJobs(this WebApplication app)
    {
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.Administrator, "/jobs", new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new AdministratorDashboardFilter()],
            DashboardTitle = "AI Model Compliance — jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });

        if (app.Services.GetRequiredService<JobsOptions>().Enabled)
        {
            var manager = app.Services.GetRequiredService<IRecurringJobManager>();
            foreach (var feature in app.Services.GetServices<RecurringJobs>())
            {
                feature.Register(manager, app.Services);
            }
        }

        return app;
    }

    /// <summary>The SQLite file Hangfire keeps its jobs in: beside the database file.</summary>
    public static string StorageFile(DatabaseOptions database) =>
        Path.Combine(SqliteFile.DataFolder(database.ConnectionString), HangfireFileName);
}

/// <summary>Only administrators see the dashboard; an anonymous request gets 401 (or the sign-in challenge from the endpoint's policy), anyone else 403.</summary>
public sealed class AdministratorDashboardFilter : IDashboardAsyncAuthorizationFilter
{
    public Task<bool> AuthorizeAsync(DashboardContext context) =>
        Task.FromResult(context.GetHttpContext().User.ActsAs(Roles.Administrator));
}
