using Compliance.Domain;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Checks;

/// <summary>Usage- and hosting-scoped restrictions and approvals, held to an oracle written from DESIGN.md's words.</summary>
public sealed class BindingEvaluatorScopeTests
{
    private static readonly DateTime T = new(2026, 6, 15, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);
    private const string Commercial = "AWS Bedrock", GovCloud = "AWS Bedrock GovCloud";

    private static Model ModelOn(string hosting) => new()
    {
        Id = 7, Provider = "Anthropic", HostModelId = "anthropic.claude-3-5-sonnet-20241022-v2:0", DisplayName = "Claude 3.5 Sonnet", Hosting = hosting,
    };

    private static BindingFacts Facts(Usage usage, ImpactLevel level = ImpactLevel.IL5) =>
        new(7, 1, Sector.Defense, level, DataCategories.CUI, usage);

    private static Approval Approval(params string[] hostings) => new()
    {
        Id = 1, ModelId = 7, Status = ApprovalStatus.Approved, MaxImpactLevel = ImpactLevel.IL6, DataCategories = DataCategories.CUI, Usages = Usages.All,
        ValidFrom = T.AddDays(-10), ValidUntil = T.AddDays(300), Hostings = [.. hostings], RequestedBy = "officer",
    };

    private static Restriction Restriction(Usages usages, string[] hostings, ImpactLevel min = ImpactLevel.None) => new()
    {
        Id = 100, Provider = "Anthropic", Sectors = Sectors.Defense, MinImpactLevel = min, Usages = usages, Hostings = [.. hostings],
        EffectiveFrom = T.AddDays(-1), TransitionDeadline = T.AddDays(29), Reason = "Vendor outage.", CreatedBy = "admin",
    };

    private static Evaluation Evaluate(Model model, BindingFacts facts, Approval approval, params Restriction[] restrictions) =>
        BindingEvaluator.Evaluate(facts, model, [approval], restrictions, T, Window);

    public static TheoryData<Usages, string[], Usage, string> EveryRestrictionScope()
    {
        var data = new TheoryData<Usages, string[], Usage, string>();
        string[][] hostingScopes = [[], [Commercial], [GovCloud], [Commercial, GovCloud], ["aws bedrock"]];
        for (var usages = Usages.None; usages <= Usages.All; usages++)
        {
            foreach (var hostings in hostingScopes)
            {
                foreach (var usage in Enum.GetValues<Usage>())
                {
                    foreach (var hosting in new[] { Commercial, GovCloud })
                    {
                        data.Add(usages, hostings, usage, hosting);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRestrictionScope))]
    public void Restriction_applies_exactly_to_the_usages_and_hostings_it_names(Usages usages, string[] hostings, Usage usage, string hosting)
    {
        // The oracle, from the words: no usages named (or all) means any usage; no hostings named means any hosting;
        // else the binding's usage and its model's hosting (case aside) must be among those named.
        var expected = (usages == Usages.None || ((int)usages & (int)usage) != 0)
            && (hostings.Length == 0 || hostings.Any(h => h.Equals(hosting, StringComparison.OrdinalIgnoreCase)));

        var e = Evaluate(ModelOn(hosting), Facts(usage), Approval(), Restriction(usages, hostings));

        Assert.Equal(expected, !e.Allowed);
        Assert.Equal(expected, e.Reasons.Any(r => r.Rule == FindingRule.Restricted));
    }

    [Fact]
    public void No_coding_assistants_from_the_vendor_on_IL5_and_above_leaves_inference_and_IL4_alone()
    {
        var r = Restriction(Usages.CodingAssistant, [], ImpactLevel.IL5);
        var model = ModelOn(GovCloud);
        var restricted = Evaluate(model, Facts(Usage.CodingAssistant, ImpactLevel.IL5), Approval(), r);
        Assert.Equal(FindingRule.Restricted, Assert.Single(restricted.Reasons).Rule);
        Assert.Contains("used as CodingAssistant", restricted.Reasons[0].Message);
        Assert.True(Evaluate(model, Facts(Usage.Inference, ImpactLevel.IL5), Approval(), r).Allowed);
        Assert.True(Evaluate(model, Facts(Usage.CodingAssistant, ImpactLevel.IL4), Approval(), r).Allowed);
    }

    [Fact]
    public void Restriction_of_commercial_hosting_names_the_hosting_and_spares_GovCloud()
    {
        var r = Restriction(Usages.All, [Commercial]);
        var e = Evaluate(ModelOn(Commercial), Facts(Usage.Inference), Approval(), r);
        Assert.Contains("on AWS Bedrock", Assert.Single(e.Reasons).Message);
        Assert.True(Evaluate(ModelOn(GovCloud), Facts(Usage.Inference), Approval(), r).Allowed);
    }

    [Theory]
    [InlineData(new string[0], GovCloud, true)]
    [InlineData(new[] { GovCloud }, GovCloud, true)]
    [InlineData(new[] { "aws bedrock govcloud" }, GovCloud, true)]
    [InlineData(new[] { GovCloud }, Commercial, false)]
    [InlineData(new[] { Commercial, GovCloud }, Commercial, true)]
    public void Approval_covers_only_the_hostings_it_names(string[] hostings, string hosting, bool allowed)
    {
        var e = Evaluate(ModelOn(hosting), Facts(Usage.Inference), Approval(hostings));
        Assert.Equal(allowed, e.Allowed);
        if (!allowed)
        {
            // Out of its hosting scope, the approval is as if absent: nothing approves the model here.
            Assert.Equal(FindingRule.Unapproved, Assert.Single(e.Reasons).Rule);
        }
    }

    [Fact]
    public void Reference_data_and_its_memo_answer_scoped_rules_per_model_hosting()
    {
        var commercial = ModelOn(Commercial);
        var gov = new Model { Id = 8, Provider = "Anthropic", HostModelId = commercial.HostModelId, DisplayName = commercial.DisplayName, Hosting = GovCloud };
        var forGov = Approval();
        (forGov.Id, forGov.ModelId) = (2, 8);
        var approvals = new[] { Approval(), forGov };
        var data = new ReferenceData([commercial, gov], approvals, [Restriction(Usages.CodingAssistant, [Commercial])], T);

        Assert.False(data.Evaluate(Facts(Usage.CodingAssistant), T, Window).Allowed);
        Assert.True(data.Evaluate(Facts(Usage.CodingAssistant) with { ModelId = 8 }, T, Window).Allowed);
        Assert.True(data.Evaluate(Facts(Usage.Agent), T, Window).Allowed);
        Assert.Equal([8], data.AllowedAlternatives(Facts(Usage.CodingAssistant), T, Window).Select(m => m.Id));
    }
}
