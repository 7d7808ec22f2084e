using Compliance.Domain;
using Compliance.Web.Features.Approvals;

namespace Compliance.Tests.Features.Approvals;

/// <summary>Usage and hosting scopes in the widening test of list syncs: denying less or allowing more waits for a second administrator.</summary>
public sealed class ListWideningTests
{
    private static readonly DateTime Day = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Restriction Restriction(Usages usages, params string[] hostings) => new()
    {
        Provider = "Anthropic", Usages = usages, Hostings = [.. hostings], EffectiveFrom = Day, TransitionDeadline = Day.AddDays(30), Reason = "r", CreatedBy = "a",
    };

    private static RestrictionListEntry Entry(Usages usages, params string[] hostings) =>
        new("k", null, "Anthropic", Sectors.None, [], ImpactLevel.None, Day, Day.AddDays(30), "r", usages, hostings);

    [Theory]
    [InlineData(Usages.All, Usages.CodingAssistant, true)]
    [InlineData(Usages.None, Usages.Agent, true)]
    [InlineData(Usages.CodingAssistant, Usages.All, false)]
    [InlineData(Usages.CodingAssistant, Usages.CodingAssistant | Usages.Agent, false)]
    [InlineData(Usages.None, Usages.All, false)]
    public void A_restriction_that_denies_fewer_usages_widens(Usages now, Usages next, bool widens) =>
        Assert.Equal(widens, ListWidening.Widens(Restriction(now), Entry(next)));

    [Theory]
    [InlineData(new string[0], new[] { "AWS Bedrock" }, true)]
    [InlineData(new[] { "AWS Bedrock", "Vertex AI" }, new[] { "AWS Bedrock" }, true)]
    [InlineData(new[] { "AWS Bedrock" }, new string[0], false)]
    [InlineData(new[] { "AWS Bedrock" }, new[] { "aws bedrock", "Vertex AI" }, false)]
    public void A_restriction_on_fewer_hostings_widens(string[] now, string[] next, bool widens) =>
        Assert.Equal(widens, ListWidening.Widens(Restriction(Usages.All, now), Entry(Usages.All, next)));

    [Theory]
    [InlineData(new[] { "AWS Bedrock GovCloud" }, new string[0], true)]
    [InlineData(new[] { "AWS Bedrock GovCloud" }, new[] { "AWS Bedrock GovCloud", "AWS Bedrock" }, true)]
    [InlineData(new string[0], new[] { "AWS Bedrock GovCloud" }, false)]
    [InlineData(new[] { "AWS Bedrock GovCloud", "AWS Bedrock" }, new[] { "AWS Bedrock GovCloud" }, false)]
    public void An_approval_on_more_hostings_widens(string[] now, string[] next, bool widens)
    {
        var approval = new Approval
        {
            ModelId = 1, Status = ApprovalStatus.Approved, MaxImpactLevel = ImpactLevel.IL5, Usages = Usages.All, ValidFrom = Day, Hostings = [.. now], RequestedBy = "o",
        };
        var entry = new ApprovalListEntry("k", 1, "m", ImpactLevel.IL5, DataCategories.None, Usages.All, Sectors.None, [], Day, null, null, null, next);
        Assert.Equal(widens, ListWidening.Widens(approval, entry, ApprovalStatus.Approved));
    }
}
