using Hangfire;

namespace Compliance.Web.Features.Notifications;

/// <summary>Remembers which once-a-day notifications went out, so a re-run on the same day sends nothing twice.</summary>
public interface INotificationLedger
{
    /// <summary>True (and recorded) when <paramref name="key"/> has not been claimed for <paramref name="day"/> yet.</summary>
    bool TryClaim(string key, DateOnly day);
}

/// <summary>The ledger as a hash in Hangfire's storage (SQLite or SQL Server, whichever the jobs use), under a distributed lock.</summary>
public sealed class HangfireNotificationLedger(JobStorage storage) : INotificationLedger
{
    private const string Hash = "compliance:notifications:sent";

    public bool TryClaim(string key, DateOnly day)
    {
        var value = day.ToString("yyyy-MM-dd");
        using var connection = storage.GetConnection();
        using var _ = connection.AcquireDistributedLock("lock:" + Hash, TimeSpan.FromSeconds(30));
        var sent = connection.GetAllEntriesFromHash(Hash);
        if (sent is not null && sent.TryGetValue(key, out var last) && last == value)
        {
            return false;
        }

        using var write = connection.CreateWriteTransaction();
        write.SetRangeInHash(Hash, [new KeyValuePair<string, string>(key, value)]);
        write.Commit();
        return true;
    }
}
