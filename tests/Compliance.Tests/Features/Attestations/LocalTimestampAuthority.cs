using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Compliance.Tests.Features.Attestations;

/// <summary>
/// A real RFC 3161 time-stamping authority on a loopback port: an HTTP listener that hands each query to
/// <c>openssl ts -reply</c> (Debian's openssl is a command-line tool, not a server). Its throwaway CA and TSA
/// certificate (extendedKeyUsage critical timeStamping) and keys live in a temp folder deleted on dispose.
/// </summary>
public sealed class LocalTimestampAuthority : IDisposable
{
    public const string AuthorityName = "Local Test Time-Stamping Authority";

    private readonly string _folder = Directory.CreateTempSubdirectory("compliance-tsa-").FullName;
    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private int _requests;

    public LocalTimestampAuthority()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Local Test TSA Root", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var tsaKey = RSA.Create(2048);
        var tsaRequest = new CertificateRequest($"CN={AuthorityName}", tsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        tsaRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        tsaRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        using var tsa = tsaRequest.Create(ca, now.AddHours(-1), now.AddMonths(6), RandomNumberGenerator.GetBytes(8));

        File.WriteAllText(Path.Combine(_folder, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder, "tsa.pem"), tsa.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder, "tsa.key"), tsaKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_folder, "serial"), "01\n");
        File.WriteAllText(Path.Combine(_folder, "tsa.cnf"), $"""
            [ tsa ]
            default_tsa = local
            [ local ]
            dir = {_folder}
            serial = $dir/serial
            crypto_device = builtin
            signer_cert = $dir/tsa.pem
            certs = $dir/ca.pem
            signer_key = $dir/tsa.key
            signer_digest = sha256
            default_policy = 1.3.6.1.4.1.55555.1
            digests = sha256, sha384, sha512
            accuracy = secs:1
            ordering = yes
            tsa_name = yes
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256
            """);

        Url = new Uri($"http://127.0.0.1:{FreePort()}/tsa/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>How many tokens were asked for.</summary>
    public int Requests => Volatile.Read(ref _requests);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            var id = Guid.NewGuid().ToString("N");
            var query = Path.Combine(_folder, id + ".tsq");
            var reply = Path.Combine(_folder, id + ".tsr");
            await using (var file = File.Create(query))
            {
                await context.Request.InputStream.CopyToAsync(file);
            }

            var (exit, output) = AttestationFixture.Run("openssl", "ts", "-reply", "-config", Path.Combine(_folder, "tsa.cnf"),
                "-queryfile", query, "-out", reply);
            if (exit != 0)
            {
                context.Response.StatusCode = 500;
                await context.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(output));
            }
            else
            {
                context.Response.ContentType = "application/timestamp-reply";
                await context.Response.OutputStream.WriteAsync(await File.ReadAllBytesAsync(reply));
            }

            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
        Directory.Delete(_folder, recursive: true);
    }
}
