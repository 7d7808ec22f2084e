using Compliance.Domain;
using Compliance.Tests.Features.Attestations;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Features.Portal;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Portal;

/// <summary>Acme's posture over the attestation fixture's check results: open, waived and warning findings, a restriction, a plan.</summary>
public sealed class CustomerPostureTests(AttestationFixture fixture) : IClassFixture<AttestationFixture>
{
    private CustomerPostureQuery Query => new(new AttestationFixture.Factory(fixture.Database), TimeProvider.System);

    [Fact]
    public async Task Acme_posture_counts_every_binding_once_by_its_status_from_the_last_check()
    {
        var p = (await Query.LoadAsync(fixture.AcmeId))!;

        Assert.Equal(p.Bindings.Total, p.Bindings.Compliant + p.Bindings.CompliantWithWaivers + p.Bindings.NotCompliant);
        Assert.Equal(1, p.Bindings.CompliantWithWaivers);
        Assert.True(p.Bindings.NotCompliant >= 1);
        Assert.Equal(p.Bindings.Total, p.Workloads.Sum(w => w.Bindings));
        Assert.Contains(p.OpenFindings, f => f.Severity == Severity.Critical && f.Count == p.Bindings.NotCompliant);
        Assert.DoesNotContain(p.OpenFindings, f => f.Severity == Severity.High); // the High one is waived, the other resolved
        Assert.NotNull(p.LastCheckAt);
    }

    [Fact]
    public async Task Acme_posture_names_the_restriction_reaching_it_with_days_left_and_its_transition_plan()
    {
        var p = (await Query.LoadAsync(fixture.AcmeId))!;

        await using var db = fixture.Database.Create();
        var restriction = await db.Restrictions.OrderBy(r => r.Id).FirstAsync();
        var shown = Assert.Single(p.Restrictions, r => r.Id == restriction.Id);
        Assert.Equal((int)Math.Ceiling((restriction.TransitionDeadline - DateTime.UtcNow).TotalDays), shown.DaysLeft);
        Assert.True(shown.BindingsAffected >= p.Bindings.NotCompliant);
        var plan = Assert.Single(p.Transitions);
        Assert.Equal("Platform team", plan.Owner);
        Assert.Equal(TransitionStatus.InProgress, plan.Status);
    }

    [Fact]
    public async Task Acme_workload_grid_lists_impact_level_categories_models_and_the_worst_status()
    {
        var p = (await Query.LoadAsync(fixture.AcmeId))!;

        await using var db = fixture.Database.Create();
        Assert.Equal(await db.Workloads.CountAsync(w => w.CustomerId == fixture.AcmeId), p.Workloads.Count);
        Assert.All(p.Workloads.Where(w => w.Bindings > 0), w => Assert.NotEmpty(w.Models));
        Assert.Contains(p.Workloads, w => w.Status == AttestationResult.NotCompliant && w.OpenFindings > 0);
        Assert.Equal(fixture.Acme.VerificationCode, p.CurrentAttestation?.VerificationCode ?? fixture.Acme.VerificationCode);
    }

    [Fact]
    public async Task An_unknown_customer_has_no_posture()
    {
        Assert.Null(await Query.LoadAsync(int.MaxValue));
    }
}
