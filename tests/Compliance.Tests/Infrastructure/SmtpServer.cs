using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Compliance.Tests.Infrastructure;

/// <summary>
/// A real SMTP server for email tests: Debian's aiosmtpd (<c>python3 -m aiosmtpd</c>, package python3-aiosmtpd, installed
/// by scripts/test.sh) on a free loopback port, with a small handler that writes each message it accepts as an .eml
/// file (envelope recipients in an <c>X-Envelope-To</c> header) to a temporary folder the tests read back with MimeKit.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private const string Handler = """
        import os, time, uuid

        class EmlWriter:
            def __init__(self, folder):
                self.folder = folder

            @classmethod
            def from_cli(cls, parser, *args):
                return cls(*args)

            async def handle_DATA(self, server, session, envelope):
                name = os.path.join(self.folder, "%d-%s.eml" % (time.time_ns(), uuid.uuid4().hex))
                with open(name + ".tmp", "wb") as f:
                    f.write(("X-Envelope-To: " + ",".join(envelope.rcpt_tos) + "\r\n").encode())
                    f.write(envelope.original_content or envelope.content)
                os.rename(name + ".tmp", name)
                return "250 Message accepted"
        """;

    private readonly Process _process;
    private readonly string _folder;

    private SmtpServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SmtpServer> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("compliance-smtp-").FullName;
        var mail = Directory.CreateDirectory(Path.Combine(folder, "mail")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "emlwriter.py"), Handler);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        // Debian's interpreter, where python3-aiosmtpd lives (a pyenv python3 earlier on PATH lacks it).
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python, ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "emlwriter.EmlWriter", mail])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        start.Environment["PYTHONPATH"] = folder;
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var server = new SmtpServer(process, mail, port);
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < until && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                var error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "no answer in 20 s";
                await server.DisposeAsync();
                throw new InvalidOperationException("aiosmtpd did not start (apt-get install -y python3-aiosmtpd): " + error);
            }
        }
    }

    /// <summary>The messages received so far, oldest first, with their envelope recipients.</summary>
    public List<(string[] EnvelopeTo, MimeMessage Message)> Messages() =>
        [.. Directory.GetFiles(_folder, "*.eml").Order(StringComparer.Ordinal).Select(path =>
        {
            var message = MimeMessage.Load(path);
            return ((message.Headers["X-Envelope-To"] ?? "").Split(','), message);
        })];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
