using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;

namespace Compliance.Tests.Features.Attestations;

public sealed class ScheduledAttestationTests(AttestationFixture fixture) : IClassFixture<AttestationFixture>
{
    [Fact]
    public async Task The_monthly_run_issues_every_customers_attestation_and_supersedes_the_previous_one()
    {
        var issued = await fixture.Service.IssueMonthlyAsync(CancellationToken.None);

        var rows = await fixture.Service.ListAsync(CustomerScope.Unrestricted);
        var customers = rows.Select(r => r.CustomerId).Distinct().ToList();
        Assert.Equal(issued, customers.Count);
        Assert.True(issued >= 6);
        Assert.All(customers, c => Assert.Single(rows, r => r.CustomerId == c && r.Status == AttestationStatus.Current));
        Assert.All(rows.Where(r => r.Status == AttestationStatus.Current), r => Assert.Equal(AttestationService.ScheduledIssuer, r.IssuedBy));
        var previous = rows.Single(r => r.Id == fixture.Acme.Id);
        Assert.Equal(AttestationStatus.Superseded, previous.Status);
        Assert.NotNull(previous.SupersededById);
    }
}
