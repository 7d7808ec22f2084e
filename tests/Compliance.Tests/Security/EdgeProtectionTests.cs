using System.Net;
using System.Net.Http.Headers;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Compliance.Tests.Security;

/// <summary>Abuse limits on the anonymous and expensive endpoints, and the headers at the edge.</summary>
public sealed class EdgeProtectionTests
{
    [Fact]
    public async Task Password_guessing_on_the_login_form_is_cut_off_with_429()
    {
        using var app = new KestrelAppFactory();
        using var client = app.CreateHttpClient();
        var login = await client.GetAsync("/connect/login");
        var token = BrowserSession.AntiforgeryToken(await login.Content.ReadAsStringAsync());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < new RateLimitOptions().LoginPerMinute + 1; i++)
        {
            var response = await client.PostAsync("/connect/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login", ["__RequestVerificationToken"] = token, ["Input.Username"] = "admin", ["Input.Password"] = $"guess-{i}",
            }));
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(statuses[^1] == HttpStatusCode.TooManyRequests, string.Join(",", statuses.Select(s => (int)s)));
    }

    [Fact]
    public async Task Hammering_the_token_endpoint_is_cut_off_with_429()
    {
        using var app = new KestrelAppFactory();
        using var client = app.CreateHttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < new RateLimitOptions().TokenPerMinute + 1; i++)
        {
            statuses.Add((await client.RequestPipelineTokenAsync("guessed-secret-" + i)).StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.SkipLast(1));
        Assert.True(statuses[^1] == HttpStatusCode.TooManyRequests, string.Join(",", statuses.Select(s => (int)s)));
    }

    [Fact]
    public async Task Uploads_to_the_verification_page_are_cut_off_with_429()
    {
        using var app = new KestrelAppFactory();
        using var client = app.CreateHttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < new RateLimitOptions().VerifyUploadsPerMinute + 1; i++)
        {
            statuses.Add((await client.PostAsync("/verify", PdfForm("%PDF-1.7 tiny"u8.ToArray()))).StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.SkipLast(1));
        Assert.True(statuses[^1] == HttpStatusCode.TooManyRequests, string.Join(",", statuses.Select(s => (int)s)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/verify")).StatusCode); // reading the page is not limited
    }

    [Fact]
    public async Task A_verification_upload_beyond_the_concurrency_cap_is_refused_while_the_others_are_read()
    {
        using var app = new OneUploadAtATimeApp();
        using var slow = app.CreateHttpClient();
        using var fast = app.CreateHttpClient();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = slow.PostAsync("/verify", new SlowUpload(started, release));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300); // the first upload's headers are in and its lease taken; its body is still coming

        var second = await fast.PostAsync("/verify", PdfForm("%PDF-1.7 tiny"u8.ToArray()));
        release.SetResult();

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await first).StatusCode);
    }

    [Fact]
    public void The_audit_drift_comparison_runs_one_at_a_time_and_a_few_times_per_person()
    {
        using var limiter = new AuditDriftLimiter(new RateLimitOptions { DriftComparisonsPer10Minutes = 2 });

        using (var running = limiter.TryAcquire("auditor"))
        {
            Assert.NotNull(running);
            Assert.Null(limiter.TryAcquire("officer")); // one at a time, whoever asks
        }

        limiter.TryAcquire("auditor")!.Dispose();
        Assert.Null(limiter.TryAcquire("auditor")); // the third in 10 minutes
        using var other = limiter.TryAcquire("officer");
        Assert.NotNull(other);
    }

    [Fact]
    public async Task Pages_may_connect_only_to_this_apps_own_origin_and_websocket()
    {
        using var app = new KestrelAppFactory();
        using var client = app.CreateHttpClient();

        var page = Assert.Single((await client.GetAsync("/connect/login")).Headers.GetValues("Content-Security-Policy"));
        var other = Assert.Single((await client.GetAsync("/health")).Headers.GetValues("Content-Security-Policy"));

        Assert.Contains($"connect-src 'self' ws://{app.Address.Authority};", page);
        Assert.Contains("connect-src 'self';", other);
        Assert.DoesNotContain(" ws: ", page + " " + other);
        Assert.DoesNotContain("wss:", page + other);
    }

    [Fact]
    public async Task Outside_development_https_responses_carry_a_preload_ready_hsts_header()
    {
        using var app = new StagingDemoApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://compliance.example/") });

        var response = await client.GetAsync("/health");

        Assert.Equal("max-age=31536000; includeSubDomains; preload", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unlisted_address_are_ignored()
    {
        using var app = new KestrelAppFactory();
        Assert.StartsWith("http%3A%2F%2F127.0.0.1", await RedirectUriAsync(app));
    }

    [Fact]
    public async Task Forwarded_headers_from_a_configured_proxy_are_honoured()
    {
        using var app = new BehindLoopbackProxyApp();
        Assert.StartsWith("https%3A%2F%2F127.0.0.1", await RedirectUriAsync(app));
    }

    /// <summary>The redirect URI the sign-in challenge builds from the request's scheme, with a forged <c>X-Forwarded-Proto: https</c>.</summary>
    private static async Task<string> RedirectUriAsync(KestrelAppFactory app)
    {
        using var client = app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        var location = (await client.SendAsync(request)).Headers.Location!.Query;
        var start = location.IndexOf("redirect_uri=", StringComparison.Ordinal) + "redirect_uri=".Length;
        return location[start..];
    }

    private static MultipartFormDataContent PdfForm(byte[] pdf)
    {
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return new MultipartFormDataContent { { new StringContent("verify-pdf"), "_handler" }, { file, "pdf", "a.pdf" } };
    }

    /// <summary>A multipart upload whose body stops after its first part until released: an upload still being read.</summary>
    private sealed class SlowUpload : HttpContent
    {
        private readonly TaskCompletionSource _started;
        private readonly TaskCompletionSource _release;

        public SlowUpload(TaskCompletionSource started, TaskCompletionSource release)
        {
            (_started, _release) = (started, release);
            Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=slow");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("--slow\r\nContent-Disposition: form-data; name=\"_handler\"\r\n\r\nverify-pdf\r\n"u8.ToArray());
            await stream.FlushAsync();
            _started.SetResult();
            await _release.Task;
            await stream.WriteAsync("--slow\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 slow\r\n--slow--\r\n"u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    private sealed class OneUploadAtATimeApp : KestrelAppFactory
    {
        protected override Dictionary<string, string?> Settings => new(base.Settings)
        {
            ["RateLimits:VerifyConcurrentUploads"] = "1",
            ["RateLimits:VerifyUploadsPerMinute"] = "100",
        };
    }

    private sealed class BehindLoopbackProxyApp : KestrelAppFactory
    {
        protected override Dictionary<string, string?> Settings => new(base.Settings) { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" };
    }

    private sealed class StagingDemoApp : ComplianceAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Staging");
            builder.UseSetting("Oidc:EnableEmbeddedProvider", "true");
        }
    }
}
