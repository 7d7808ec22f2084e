using Hangfire.Logging;

namespace Compliance.Tests.Infrastructure;

/// <summary>
/// Tests that use Hangfire storage outside an app host, or whose hosts run a Hangfire server. Hangfire logs through a
/// process-wide provider, which every app host in the test run replaces with its own logger factory and disposes with
/// it; a server whose provider a parallel test's host disposed stops processing jobs. These tests run alone (after the
/// parallel ones); those without a host install a silent provider first, so a disposed host's factory is never called.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HangfireStorageCollection
{
    public const string Name = "hangfire-storage";

    public static void UseSilentHangfireLogs() => LogProvider.SetCurrentLogProvider(new SilentLogProvider());

    private sealed class SilentLogProvider : ILogProvider
    {
        public ILog GetLogger(string name) => new SilentLog();
    }

    private sealed class SilentLog : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
