using Compliance.Domain;
using Compliance.Web.Auth;

namespace Compliance.Tests.Features.Attestations;

public sealed class ScheduledAttestationTests(AttestationFixture fixture) : IClassFixture<AttestationFixture>
{
    [Fact]
    public async Task The_monthly_run_without_a_configured_signatory_issues_nothing_and_says_what_to_set()
    {
        var before = (await fixture.Service.ListAsync(CustomerScope.Unrestricted)).Count;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Service.IssueMonthlyAsync(CancellationToken.None));

        Assert.Contains("Attestations:Signatory", refused.Message);
        Assert.Equal(before, (await fixture.Service.ListAsync(CustomerScope.Unrestricted)).Count);
    }

    [Fact]
    public async Task The_monthly_run_issues_every_customers_attestation_in_the_signatorys_name_and_supersedes_the_previous_one()
    {
        var service = AttestationFixture.CreateService(fixture.Database, out var certificates, o => o.Signatory = " officer ");
        using var _ = certificates;
        var issued = await service.IssueMonthlyAsync(CancellationToken.None);

        var rows = await fixture.Service.ListAsync(CustomerScope.Unrestricted);
        var customers = rows.Select(r => r.CustomerId).Distinct().ToList();
        Assert.Equal(issued, customers.Count);
        Assert.True(issued >= 6);
        Assert.All(customers, c => Assert.Single(rows, r => r.CustomerId == c && r.Status == AttestationStatus.Current));
        Assert.All(rows.Where(r => r.Status == AttestationStatus.Current), r => Assert.Equal("officer", r.IssuedBy));
        var previous = rows.Single(r => r.Id == fixture.Acme.Id);
        Assert.Equal(AttestationStatus.Superseded, previous.Status);
        Assert.NotNull(previous.SupersededById);
    }
}
