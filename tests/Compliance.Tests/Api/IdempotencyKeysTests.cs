using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Data;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Api;

/// <summary>A pipeline that retries a creating request after a timeout creates one row, not two.</summary>
public sealed class IdempotencyKeysTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private async Task<(int Model, int Workload)> UnboundPairAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        var workload = await db.Workloads.OrderByDescending(w => w.Id).Select(w => w.Id).FirstAsync();
        var model = await db.Models.Where(m => !db.Bindings.Any(b => b.ModelId == m.Id && b.WorkloadId == workload)).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        return (model, workload);
    }

    private async Task<int> BindingCountAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        return await db.Bindings.CountAsync();
    }

    private async Task<int> BindingEventCountAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        return await db.AuditEvents.CountAsync(e => e.Entity == nameof(Compliance.Domain.Binding));
    }

    private static HttpRequestMessage Post(object body, string key) => new(HttpMethod.Post, "/api/v1/bindings")
    {
        Content = JsonContent.Create(body),
        Headers = { { "Idempotency-Key", key } },
    };

    [Fact]
    public async Task A_retried_create_with_the_same_key_replays_the_first_answer_and_creates_one_binding()
    {
        var (model, workload) = await UnboundPairAsync();
        using var client = app.As("pipeline-1", Roles.Pipeline);
        var body = new { modelId = model, workloadId = workload, usage = "Agent", purpose = "release 9" };
        var before = await BindingCountAsync();
        var eventsBefore = await BindingEventCountAsync();

        var first = await client.SendAsync(Post(body, "release-9-agent"));
        var retry = await client.SendAsync(Post(body, "release-9-agent"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await BindingCountAsync());
        Assert.Equal(eventsBefore + 1, await BindingEventCountAsync()); // the replay is not a second change on the trail
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_and_creates_nothing()
    {
        var (model, workload) = await UnboundPairAsync();
        using var client = app.As("pipeline-1", Roles.Pipeline);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post(new { modelId = model, workloadId = workload, usage = "CodingAssistant" }, "k-2"))).StatusCode);
        var before = await BindingCountAsync();

        var other = await client.SendAsync(Post(new { modelId = model, workloadId = workload, usage = "Inference", purpose = "other" }, "k-2"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await BindingCountAsync());
    }

    [Fact]
    public async Task A_failed_request_keeps_no_answer_so_the_fixed_request_can_reuse_the_key()
    {
        var (model, workload) = await UnboundPairAsync();
        using var client = app.As("pipeline-1", Roles.Pipeline);

        var bad = await client.SendAsync(Post(new { modelId = 987654, workloadId = workload }, "k-3"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var fixedRequest = await client.SendAsync(Post(new { modelId = model, workloadId = workload }, "k-3"));
        Assert.Equal(HttpStatusCode.Created, fixedRequest.StatusCode);
        Assert.False(fixedRequest.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Keys_belong_to_their_caller()
    {
        var (model, workload) = await UnboundPairAsync();
        using var one = app.As("pipeline-1", Roles.Pipeline);
        using var other = app.As("officer-7", Roles.ComplianceOfficer);
        Assert.Equal(HttpStatusCode.Created, (await one.SendAsync(Post(new { modelId = model, workloadId = workload, usage = "Agent", purpose = "k4" }, "shared-key"))).StatusCode);

        var second = await other.SendAsync(Post(new { modelId = model, workloadId = workload, usage = "Agent", purpose = "k4" }, "shared-key"));

        // Not a replay of pipeline-1's answer: officer-7's own request, refused on its merits (the binding exists).
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("errors", out _));
    }
}
