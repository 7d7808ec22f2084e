using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Audit;
using Compliance.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Compliance.Tests.Jobs;

public abstract class InstanceLockTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : InstanceLockTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : InstanceLockTests(DatabaseProvider.PostgreSql)
    {
        /// <summary>
        /// Another instance holds the verification's lock and is killed (its session ends, as when its process dies):
        /// the scheduled verification here starts at once, where Hangfire's DisableConcurrentExecution lock of a dead
        /// process made the next run wait (on the SQLite storage, a tenth of the hour's timeout).
        /// </summary>
        [Fact]
        public async Task The_scheduled_audit_verification_waits_for_another_instance_and_runs_as_soon_as_that_instance_dies()
        {
            await using var other = new NpgsqlConnection(Database.ConnectionString);
            await other.OpenAsync();
            await using (var take = new NpgsqlCommand("SELECT pg_backend_pid(), pg_advisory_lock(@key)", other))
            {
                take.Parameters.AddWithValue("key", InstanceLock.KeyOf(AuditVerifier.RecurringId));
                await using var reader = await take.ExecuteReaderAsync();
                await reader.ReadAsync();
                OtherPid = reader.GetInt32(0);
            }

            var anchors = new AuditAnchorLog(Path.Combine(Database.Folder, "anchors.jsonl"), null, null, NullLogger<AuditAnchorLog>.Instance);
            var verification = new AuditVerifier(Database.Factory, anchors, TimeProvider.System, NullLogger<AuditVerifier>.Instance)
                .RunScheduledAsync(CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(verification.IsCompleted, "The verification ran while another instance held its lock.");

            await using (var admin = new NpgsqlConnection(Database.ConnectionString))
            {
                await admin.OpenAsync();
                await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
                kill.Parameters.AddWithValue("pid", OtherPid);
                await kill.ExecuteScalarAsync();
            }

            await verification.WaitAsync(TimeSpan.FromSeconds(60));
            await using var db = Database.Create();
            Assert.Equal(AuditVerificationStatus.Intact, (await db.AuditVerifications.SingleAsync()).Status);
        }

        private int OtherPid { get; set; }
    }

    protected TestDatabase Database { get; } = new(provider);

    public Task InitializeAsync() => Database.InitializeAsync();

    public Task DisposeAsync() => Database.DisposeAsync();

    [Fact]
    public async Task A_second_holder_of_the_same_name_waits_until_the_first_releases_and_other_names_do_not_wait()
    {
        var first = await InstanceLock.AcquireAsync(Database.Factory, "lock-test", CancellationToken.None);
        var second = InstanceLock.AcquireAsync(Database.Factory, "lock-test", CancellationToken.None);
        await using (await InstanceLock.AcquireAsync(Database.Factory, "another-lock", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.False(second.IsCompleted, "The second holder got the lock while the first held it.");
        }

        await first.DisposeAsync();
        await using var taken = await second.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
