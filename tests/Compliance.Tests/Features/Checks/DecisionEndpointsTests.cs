using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Auth;
using Compliance.Web.Features.Checks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Checks;

public abstract class DecisionEndpointsTests(DecisionEndpointsTests.Factory factory)
{
    private readonly Factory _factory = factory;

    public sealed class OnSqlite(Factory factory) : DecisionEndpointsTests(factory), IClassFixture<Factory>;

    public sealed class OnPostgreSql(PostgreSqlFactory factory) : DecisionEndpointsTests(factory), IClassFixture<PostgreSqlFactory>;

    /// <summary>The app on PostgreSQL.</summary>
    public sealed class PostgreSqlFactory() : Factory(DatabaseProvider.PostgreSql);

    /// <summary>The real app with the demo inventory; requests sign in through <see cref="TestAuthentication"/> headers.</summary>
    public class Factory : ComplianceAppFactory
    {
        public Factory()
        {
        }

        protected Factory(DatabaseProvider provider)
            : base(provider)
        {
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(TestAuthentication.Use);
        }
    }

    private HttpClient Client(string? role)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (role is not null)
        {
            client.DefaultRequestHeaders.Add(TestAuthentication.UserHeader, role.ToLowerInvariant());
            client.DefaultRequestHeaders.Add(TestAuthentication.RoleHeader, role);
        }

        return client;
    }

    private async Task<(Binding Binding, Model Model)> RestrictedBindingAsync()
    {
        using var scope = _factory.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        var binding = await db.Bindings.Include(b => b.Model).Include(b => b.Workload).ThenInclude(w => w!.Customer)
            .Where(b => b.Model!.Provider == "Anthropic" && b.Workload!.Customer!.Sector == Sector.Defense)
            .OrderBy(b => b.Id).FirstAsync();
        return (binding, binding.Model!);
    }

    [Fact]
    public async Task Ping_answers_a_constant_to_staff_and_refuses_without_a_user_or_to_a_customer()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(null).GetAsync("/api/v1/ping")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Client(Roles.Customer).GetAsync("/api/v1/ping")).StatusCode);
        var response = await Client(Roles.ComplianceOfficer).GetAsync("/api/v1/ping");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Pong(true), await response.Content.ReadFromJsonAsync<Pong>());
    }

    [Fact]
    public async Task Decision_without_a_user_is_refused()
    {
        var response = await Client(null).GetAsync("/api/v1/decisions?model=1&workload=1");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Decision_is_refused_to_a_customer()
    {
        var response = await Client(Roles.Customer).GetAsync("/api/v1/decisions?model=1&workload=1");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Restricted_vendor_is_refused_for_a_defense_workload_with_the_reason()
    {
        var (binding, model) = await RestrictedBindingAsync();
        var decision = await Client(Roles.Auditor).GetFromJsonAsync<Decision>($"/api/v1/decisions?model={model.Id}&workload={binding.WorkloadId}&usage={binding.Usage}");
        Assert.NotNull(decision);
        Assert.False(decision.Allowed);
        var reason = Assert.Single(decision.Reasons, r => r.Rule == nameof(FindingRule.Restricted));
        Assert.Equal(nameof(Severity.Critical), reason.Severity);
        Assert.Contains("Anthropic", reason.Message);
    }

    [Fact]
    public async Task Response_has_the_documented_shape()
    {
        var (binding, model) = await RestrictedBindingAsync();
        var json = await Client(Roles.ComplianceOfficer).GetStringAsync($"/api/v1/decisions?model={model.Id}&workload={binding.WorkloadId}");
        Assert.StartsWith("{\"allowed\":false,\"reasons\":[{\"rule\":\"Restricted\",\"severity\":\"Critical\",\"message\":", json);
    }

    [Fact]
    public async Task Model_can_be_named_by_its_host_model_id()
    {
        using var scope = _factory.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        var model = await db.Models.SingleAsync(m => m.HostModelId == "gpt-4o-mini");
        var workload = await db.Workloads.Include(w => w.Customer).FirstAsync(w => w.Customer!.Sector == Sector.Civilian && w.ImpactLevel == ImpactLevel.IL2);

        var byHostId = await Client(Roles.Administrator).GetFromJsonAsync<Decision>($"/api/v1/decisions?model=GPT-4o-mini&workload={workload.Id}");
        var byId = await Client(Roles.Administrator).GetFromJsonAsync<Decision>($"/api/v1/decisions?model={model.Id}&workload={workload.Id}");
        Assert.NotNull(byHostId);
        Assert.Equal(byId!.Allowed, byHostId.Allowed);
        Assert.Equal(byId.Reasons, byHostId.Reasons);
    }

    [Fact]
    public async Task Host_model_id_offered_by_two_hostings_is_ambiguous()
    {
        var response = await Client(Roles.Auditor).GetAsync("/api/v1/decisions?model=anthropic.claude-3-7-sonnet-20250219-v1:0&workload=1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("Ambiguous model", problem!.Title);
        Assert.Contains("AWS Bedrock GovCloud", problem.Detail);
    }

    [Theory]
    [InlineData("no-such-model", "1", "Unknown model")]
    [InlineData("1", "999999", "Unknown workload")]
    public async Task Unknown_model_or_workload_is_not_found(string model, string workload, string title)
    {
        var response = await Client(Roles.Auditor).GetAsync($"/api/v1/decisions?model={model}&workload={workload}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
    }

    [Fact]
    public async Task Missing_arguments_are_a_bad_request()
    {
        var response = await Client(Roles.Auditor).GetAsync("/api/v1/decisions?model=1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<string> KeyAsync(int workloadId, string key)
    {
        using var scope = _factory.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ComplianceDb>>().CreateDbContextAsync();
        await db.Workloads.Where(w => w.Id == workloadId).ExecuteUpdateAsync(s => s.SetProperty(w => w.Key, key));
        return key;
    }

    [Fact]
    public async Task A_workload_can_be_named_by_its_own_key()
    {
        var (binding, model) = await RestrictedBindingAsync();
        var key = await KeyAsync(binding.WorkloadId, $"SYS-{binding.WorkloadId}");

        var byKey = await Client(Roles.Pipeline).GetFromJsonAsync<JsonElement>($"/api/v1/decisions?model={model.Id}&workloadKey={key}");
        var byId = await Client(Roles.Pipeline).GetFromJsonAsync<JsonElement>($"/api/v1/decisions?model={model.Id}&workload={binding.WorkloadId}");

        Assert.False(byKey.GetProperty("allowed").GetBoolean());
        Assert.Equal(byId.GetRawText(), byKey.GetRawText());
        var unknown = await Client(Roles.Pipeline).GetAsync($"/api/v1/decisions?model={model.Id}&workloadKey=NO-SUCH-KEY");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("NO-SUCH-KEY", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_batch_answers_each_question_in_place_and_is_allowed_only_when_all_are()
    {
        var (binding, model) = await RestrictedBindingAsync();
        var key = await KeyAsync(binding.WorkloadId, $"BATCH-{binding.WorkloadId}");
        var single = await Client(Roles.Pipeline).GetFromJsonAsync<JsonElement>($"/api/v1/decisions?model={model.Id}&workload={binding.WorkloadId}");

        var response = await Client(Roles.Pipeline).PostAsJsonAsync("/api/v1/decisions", new
        {
            questions = new object[]
            {
                new { model = model.Id.ToString(), workloadKey = key },
                new { model = model.HostModelId + "-none", workload = binding.WorkloadId },
                new { model = model.Id.ToString(), workload = 987654, usage = "Agent" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batch = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(batch.GetProperty("allowed").GetBoolean());
        Assert.Equal((1, 2), (batch.GetProperty("denied").GetInt32(), batch.GetProperty("unanswered").GetInt32()));
        var answers = batch.GetProperty("answers").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], answers.Select(a => a.GetProperty("index").GetInt32()));
        Assert.Equal(single.GetProperty("reasons").GetRawText(), answers[0].GetProperty("reasons").GetRawText());
        Assert.Contains("No model", answers[1].GetProperty("error").GetString());
        Assert.Contains("987654", answers[2].GetProperty("error").GetString());
        Assert.Equal("Agent", answers[2].GetProperty("usage").GetString());
    }

    [Fact]
    public async Task A_batch_over_the_limit_or_with_a_question_naming_no_workload_is_refused_whole()
    {
        var tooMany = Enumerable.Range(0, DecisionEndpoints.MaxQuestions + 1).Select(_ => new { model = "1", workload = 1 }).ToArray();
        var big = await Client(Roles.Pipeline).PostAsJsonAsync("/api/v1/decisions", new { questions = tooMany });
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Contains("1001", await big.Content.ReadAsStringAsync());

        var vague = await Client(Roles.Pipeline).PostAsJsonAsync("/api/v1/decisions", new { questions = new object[] { new { model = "1", workload = 1 }, new { model = "1" } } });
        Assert.Equal(HttpStatusCode.BadRequest, vague.StatusCode);
        Assert.True((await vague.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("questions[1]", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await Client(Roles.Customer).PostAsJsonAsync("/api/v1/decisions", new { questions = new[] { new { model = "1", workload = 1 } } })).StatusCode);
    }
}
