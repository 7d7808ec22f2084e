using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Transitions;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Tests.Features.Transitions;

/// <summary>Transition plans through <c>/api/v1</c>, as a ticket system keeps them in step: planned, started, completed.</summary>
public sealed class TransitionsApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    /// <summary>A binding the demo's restriction reaches with no plan yet, the restriction, and a model the rule allows instead.</summary>
    private async Task<(int Binding, int Restriction, int Target)> RestrictedBindingAsync()
    {
        using var officer = app.As("officer-1", Roles.ComplianceOfficer);
        var restrictions = await officer.GetFromJsonAsync<JsonElement>("/api/v1/restrictions?inEffect=true");
        var restriction = restrictions.GetProperty("items")[0].GetProperty("id").GetInt32();
        var plans = app.Services.GetRequiredService<TransitionService>();
        foreach (var binding in await plans.AffectedAsync(restriction))
        {
            if (binding.Active && binding.PlanId is null && (await plans.SuggestAsync(binding.BindingId)).FirstOrDefault() is { } target)
            {
                return (binding.BindingId, restriction, target.ModelId);
            }
        }

        throw new InvalidOperationException("The demo restriction reaches no binding with an allowed alternative.");
    }

    [Fact]
    public async Task An_officer_plans_starts_and_completes_a_move_and_the_binding_is_moved()
    {
        var (binding, restriction, target) = await RestrictedBindingAsync();
        using var officer = app.As("officer-1", Roles.ComplianceOfficer);

        var created = await officer.PostAsJsonAsync("/api/v1/transition-plans",
            new { bindingId = binding, restrictionId = restriction, targetModelId = target, owner = "Platform team", targetDate = DateTime.UtcNow.Date.AddDays(7) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var plan = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = plan.GetProperty("id").GetInt32();

        var started = await (await officer.PostAsJsonAsync($"/api/v1/transition-plans/{id}/start", new { version = plan.GetProperty("version").GetInt32() }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("InProgress", started.GetProperty("status").GetString());

        var stale = await officer.PostAsJsonAsync($"/api/v1/transition-plans/{id}/complete", new { version = plan.GetProperty("version").GetInt32() });
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);

        var completed = await officer.PostAsJsonAsync($"/api/v1/transition-plans/{id}/complete", new { version = started.GetProperty("version").GetInt32() });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var done = await completed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Done", done.GetProperty("status").GetString());
        var moved = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/bindings/{done.GetProperty("newBindingId").GetInt32()}");
        Assert.Equal(target, moved.GetProperty("modelId").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/bindings/{binding}")).GetProperty("to").ValueKind);
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.Pipeline)]
    public async Task Only_officers_plan_moves(string role)
    {
        var (binding, restriction, target) = await RestrictedBindingAsync();
        using var client = app.As("someone", role);

        var response = await client.PostAsJsonAsync("/api/v1/transition-plans",
            new { bindingId = binding, restrictionId = restriction, targetModelId = target, owner = "x", targetDate = DateTime.UtcNow.Date.AddDays(7) });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var plans = await client.GetFromJsonAsync<JsonElement>($"/api/v1/transition-plans?restriction={restriction}&limit=1000");
        Assert.DoesNotContain(plans.GetProperty("items").EnumerateArray(), p => p.GetProperty("bindingId").GetInt32() == binding);
    }

    [Fact]
    public async Task A_plan_to_a_model_the_rule_denies_is_refused_with_the_reason()
    {
        var (binding, restriction, _) = await RestrictedBindingAsync();
        using var officer = app.As("officer-1", Roles.ComplianceOfficer);
        var current = (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/bindings/{binding}")).GetProperty("modelId").GetInt32();

        var response = await officer.PostAsJsonAsync("/api/v1/transition-plans",
            new { bindingId = binding, restrictionId = restriction, targetModelId = current, owner = "x", targetDate = DateTime.UtcNow.Date.AddDays(7) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Any());
    }

    [Fact]
    public async Task Many_plans_complete_at_once_or_none_does_when_one_is_wrong()
    {
        using var officer = app.As("officer-1", Roles.ComplianceOfficer);
        var ids = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            var (binding, restriction, target) = await RestrictedBindingAsync();
            var created = await officer.PostAsJsonAsync("/api/v1/transition-plans",
                new { bindingId = binding, restrictionId = restriction, targetModelId = target, owner = "Platform team", targetDate = DateTime.UtcNow.Date.AddDays(7) });
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32());
        }

        var refused = await officer.PostAsJsonAsync("/api/v1/transition-plans/complete", new { plans = new object[] { new { planId = ids[0] }, new { planId = 987654 } } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("plans[1]", await refused.Content.ReadAsStringAsync());
        Assert.Equal("Planned", (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/transition-plans/{ids[0]}")).GetProperty("status").GetString());

        using var auditor = app.As("auditor-1", Roles.Auditor);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync("/api/v1/transition-plans/complete", new { plans = ids.Select(id => new { planId = id }) })).StatusCode);

        var done = await officer.PostAsJsonAsync("/api/v1/transition-plans/complete", new { plans = ids.Select(id => new { planId = id }) });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(2, (await done.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("count").GetInt32());
        foreach (var id in ids)
        {
            Assert.Equal("Done", (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/transition-plans/{id}")).GetProperty("status").GetString());
        }
    }
}
