using Compliance.Domain;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Checks;

public sealed class BindingEvaluatorTests
{
    private static readonly DateTime T = new(2026, 6, 15, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);
    private const int Acme = 1, Globex = 2;

    private readonly Model _model = new()
    {
        Id = 7, Provider = "Anthropic", HostModelId = "anthropic.claude-3-5-sonnet-20241022-v2:0",
        DisplayName = "Claude 3.5 Sonnet", Hosting = "AWS Bedrock GovCloud",
    };

    private readonly List<Approval> _approvals = [];
    private readonly List<Restriction> _restrictions = [];

    private static BindingFacts Defense(ImpactLevel level = ImpactLevel.IL5, DataCategories categories = DataCategories.CUI, Usage usage = Usage.Inference) =>
        new(7, Acme, Sector.Defense, level, categories, usage);

    private static BindingFacts Civilian(ImpactLevel level = ImpactLevel.IL2, DataCategories categories = DataCategories.PII, Usage usage = Usage.Inference) =>
        new(7, Globex, Sector.Civilian, level, categories, usage);

    private Approval Approve(ImpactLevel max = ImpactLevel.IL5, DataCategories categories = DataCategories.CUI | DataCategories.PII | DataCategories.ExportControlled,
        Usages usages = Usages.All, ApprovalStatus status = ApprovalStatus.Approved, DateTime? from = null, DateTime? until = null,
        Sectors sectors = Sectors.None, params int[] customers)
    {
        var a = new Approval
        {
            Id = _approvals.Count + 1, ModelId = 7, Status = status, MaxImpactLevel = max, DataCategories = categories, Usages = usages,
            ValidFrom = from ?? T.AddDays(-100), ValidUntil = until ?? T.AddDays(300), Sectors = sectors, CustomerIds = [.. customers],
            RequestedBy = "officer",
        };
        _approvals.Add(a);
        return a;
    }

    private Restriction Restrict(int? modelId = 7, string? provider = null, Sectors sectors = Sectors.Defense, ImpactLevel min = ImpactLevel.None,
        DateTime? from = null, DateTime? lifted = null, params int[] customers)
    {
        var r = new Restriction
        {
            Id = 100 + _restrictions.Count, ModelId = modelId, Provider = provider, Sectors = sectors, MinImpactLevel = min,
            EffectiveFrom = from ?? T.AddDays(-1), TransitionDeadline = T.AddDays(29), LiftedAt = lifted, CustomerIds = [.. customers],
            Reason = "Contracting office directive.", CreatedBy = "admin",
        };
        _restrictions.Add(r);
        return r;
    }

    private Evaluation Evaluate(BindingFacts binding, DateTime? at = null) =>
        BindingEvaluator.Evaluate(binding, _model, _approvals, _restrictions, at ?? T, Window);

    private static FindingRule[] Rules(Evaluation e) => [.. e.Reasons.Select(r => r.Rule)];

    private void AssertFails(FindingRule rule, BindingFacts binding, DateTime? at = null)
    {
        var e = Evaluate(binding, at);
        Assert.False(e.Allowed);
        Assert.Equal([rule], Rules(e));
    }

    private void AssertCompliantWithoutWarnings(BindingFacts binding, DateTime? at = null)
    {
        var e = Evaluate(binding, at);
        Assert.True(e.Allowed, string.Join("; ", e.Reasons.Select(r => r.Message)));
        Assert.Empty(e.Reasons);
    }

    // ---- compliant --------------------------------------------------------------------------------------

    [Fact]
    public void Binding_covered_by_an_approval_is_compliant_without_reasons()
    {
        Approve();
        AssertCompliantWithoutWarnings(Defense());
    }

    [Fact]
    public void Compliant_result_is_shared_and_allocates_nothing()
    {
        Approve();
        Assert.Same(Evaluation.Compliant, Evaluate(Defense()));
    }

    // ---- 1. restrictions --------------------------------------------------------------------------------

    [Fact]
    public void Restriction_beats_approval_for_defense_sector()
    {
        Approve();
        var r = Restrict();
        var e = Evaluate(Defense());
        Assert.False(e.Allowed);
        var reason = Assert.Single(e.Reasons);
        Assert.Equal(FindingRule.Restricted, reason.Rule);
        Assert.Equal(Severity.Critical, reason.Severity);
        Assert.Equal(r.Id, reason.RestrictionId);
        Assert.Contains("restricted", reason.Message);
    }

    [Fact]
    public void Restriction_for_defense_leaves_civilian_customers_alone()
    {
        Approve();
        Restrict(sectors: Sectors.Defense | Sectors.Intelligence);
        AssertCompliantWithoutWarnings(Civilian());
    }

    [Fact]
    public void Restriction_without_sectors_applies_to_every_sector()
    {
        Approve();
        Restrict(sectors: Sectors.None);
        AssertFails(FindingRule.Restricted, Civilian());
        AssertFails(FindingRule.Restricted, Defense());
    }

    [Fact]
    public void Provider_wide_restriction_matches_every_model_of_the_provider()
    {
        Approve();
        Restrict(modelId: null, provider: "anthropic");
        AssertFails(FindingRule.Restricted, Defense());
    }

    [Fact]
    public void Provider_wide_restriction_of_another_provider_does_not_match()
    {
        Approve();
        Restrict(modelId: null, provider: "Meta");
        AssertCompliantWithoutWarnings(Defense());
    }

    [Fact]
    public void Restriction_of_another_model_does_not_match()
    {
        Approve();
        Restrict(modelId: 8);
        AssertCompliantWithoutWarnings(Defense());
    }

    [Fact]
    public void Restriction_takes_effect_at_exactly_its_effective_date()
    {
        Approve();
        Restrict(from: T);
        AssertFails(FindingRule.Restricted, Defense(), T);
        AssertCompliantWithoutWarnings(Defense(), T.AddTicks(-1));
    }

    [Fact]
    public void Lifted_restriction_no_longer_applies_from_the_moment_it_is_lifted()
    {
        Approve();
        Restrict(lifted: T);
        AssertCompliantWithoutWarnings(Defense(), T);
        AssertFails(FindingRule.Restricted, Defense(), T.AddTicks(-1));
    }

    [Fact]
    public void Restriction_with_minimum_level_applies_at_that_level_and_above_only()
    {
        Approve(max: ImpactLevel.IL6);
        Restrict(min: ImpactLevel.IL5);
        AssertFails(FindingRule.Restricted, Defense(ImpactLevel.IL5));
        AssertFails(FindingRule.Restricted, Defense(ImpactLevel.IL6));
        AssertCompliantWithoutWarnings(Defense(ImpactLevel.IL4));
        AssertCompliantWithoutWarnings(Defense(ImpactLevel.IL2));
    }

    [Fact]
    public void Restriction_for_named_customers_applies_to_them_only()
    {
        Approve();
        Restrict(sectors: Sectors.None, customers: [Globex]);
        AssertFails(FindingRule.Restricted, Civilian());
        AssertCompliantWithoutWarnings(Defense());
    }

    [Fact]
    public void Restriction_needs_both_sector_and_customer_to_match()
    {
        Approve();
        Restrict(sectors: Sectors.Defense, customers: [Globex]);
        AssertCompliantWithoutWarnings(Civilian());
        AssertCompliantWithoutWarnings(Defense());
    }

    [Fact]
    public void Restricted_and_unapproved_binding_reports_both()
    {
        Restrict();
        var e = Evaluate(Defense());
        Assert.Equal([FindingRule.Restricted, FindingRule.Unapproved], Rules(e));
    }

    [Fact]
    public void Of_several_matching_restrictions_the_one_with_the_earliest_deadline_is_reported()
    {
        Approve();
        var later = Restrict();
        later.TransitionDeadline = T.AddDays(60);
        var sooner = Restrict(modelId: null, provider: "Anthropic");
        sooner.TransitionDeadline = T.AddDays(10);
        Assert.Equal(sooner.Id, Assert.Single(Evaluate(Defense()).Reasons).RestrictionId);
    }

    [Fact]
    public void Restricted_binding_gets_no_warnings()
    {
        Approve(until: T.AddDays(5));
        _model.DeprecatedOn = T.AddDays(-1);
        Restrict();
        Assert.Equal([FindingRule.Restricted], Rules(Evaluate(Defense())));
    }

    // ---- 2. lifecycle -----------------------------------------------------------------------------------

    [Fact]
    public void Retired_model_fails_from_its_retirement_date()
    {
        Approve();
        _model.RetiredOn = T;
        var e = Evaluate(Defense());
        Assert.Equal([FindingRule.ModelRetired], Rules(e));
        Assert.Equal(Severity.Critical, e.Reasons[0].Severity);
        AssertCompliantWithoutWarnings(Defense(), T.AddTicks(-1));
    }

    [Fact]
    public void Model_retiring_later_is_not_retired_yet()
    {
        Approve();
        _model.RetiredOn = T.AddDays(1);
        AssertCompliantWithoutWarnings(Defense());
    }

    [Fact]
    public void Deprecated_model_warns_from_its_deprecation_date()
    {
        Approve();
        _model.DeprecatedOn = T;
        var e = Evaluate(Defense());
        Assert.True(e.Allowed);
        var reason = Assert.Single(e.Reasons);
        Assert.Equal(FindingRule.ModelDeprecated, reason.Rule);
        Assert.Equal(Severity.Warning, reason.Severity);
        AssertCompliantWithoutWarnings(Defense(), T.AddTicks(-1));
    }

    [Fact]
    public void Deprecated_and_retired_model_reports_retirement_only()
    {
        Approve();
        _model.DeprecatedOn = T.AddDays(-30);
        _model.RetiredOn = T.AddDays(-1);
        Assert.Equal([FindingRule.ModelRetired], Rules(Evaluate(Defense())));
    }

    [Fact]
    public void Deprecated_but_unapproved_binding_reports_the_failure_not_the_warning()
    {
        _model.DeprecatedOn = T.AddDays(-1);
        Assert.Equal([FindingRule.Unapproved], Rules(Evaluate(Defense())));
    }

    // ---- 3. approval in force ---------------------------------------------------------------------------

    [Fact]
    public void Model_without_approvals_is_unapproved()
    {
        var e = Evaluate(Defense());
        Assert.False(e.Allowed);
        var reason = Assert.Single(e.Reasons);
        Assert.Equal(FindingRule.Unapproved, reason.Rule);
        Assert.Equal(Severity.High, reason.Severity);
    }

    [Theory]
    [InlineData(ApprovalStatus.Requested)]
    [InlineData(ApprovalStatus.Rejected)]
    [InlineData(ApprovalStatus.Revoked)]
    public void Approvals_not_approved_are_ignored(ApprovalStatus status)
    {
        Approve(status: status);
        AssertFails(FindingRule.Unapproved, Defense());
    }

    [Fact]
    public void Approval_is_valid_from_its_first_instant()
    {
        Approve(from: T);
        AssertCompliantWithoutWarnings(Defense(), T);
        AssertFails(FindingRule.Unapproved, Defense(), T.AddTicks(-1));
    }

    [Fact]
    public void Approval_not_yet_in_force_is_unapproved_and_names_the_future_approval()
    {
        var a = Approve(from: T.AddDays(3));
        var reason = Assert.Single(Evaluate(Defense()).Reasons);
        Assert.Equal(FindingRule.Unapproved, reason.Rule);
        Assert.Equal(a.Id, reason.ApprovalId);
    }

    [Fact]
    public void Approval_ends_at_its_valid_until_instant_which_is_exclusive()
    {
        var a = Approve(until: T);
        var e = Evaluate(Defense(), T);
        var reason = Assert.Single(e.Reasons);
        Assert.Equal(FindingRule.ApprovalExpired, reason.Rule);
        Assert.Equal(Severity.High, reason.Severity);
        Assert.Equal(a.Id, reason.ApprovalId);
        Assert.True(Evaluate(Defense(), T.AddTicks(-1)).Allowed);
    }

    [Fact]
    public void Approval_marked_expired_is_reported_as_expired_even_before_its_end_date()
    {
        Approve(status: ApprovalStatus.Expired);
        AssertFails(FindingRule.ApprovalExpired, Defense());
    }

    [Fact]
    public void Open_ended_approval_never_expires()
    {
        var a = Approve();
        a.ValidUntil = null;
        AssertCompliantWithoutWarnings(Defense(), T.AddYears(50));
    }

    [Fact]
    public void Expired_approval_out_of_the_customers_scope_is_plain_unapproved()
    {
        Approve(until: T.AddDays(-1), sectors: Sectors.Civilian);
        AssertFails(FindingRule.Unapproved, Defense());
    }

    [Fact]
    public void Expired_approval_is_ignored_when_another_approval_is_in_force()
    {
        Approve(until: T.AddDays(-1));
        Approve();
        AssertCompliantWithoutWarnings(Defense());
    }

    [Fact]
    public void Revoked_approval_does_not_count_as_expired()
    {
        Approve(status: ApprovalStatus.Revoked, until: T.AddDays(-1));
        AssertFails(FindingRule.Unapproved, Defense());
    }

    [Fact]
    public void Approval_limited_to_a_sector_covers_that_sector_only()
    {
        Approve(sectors: Sectors.Civilian | Sectors.Health, categories: DataCategories.PII | DataCategories.CUI);
        AssertCompliantWithoutWarnings(Civilian());
        AssertFails(FindingRule.Unapproved, Defense());
    }

    [Fact]
    public void Approval_limited_to_customers_covers_those_customers_only()
    {
        Approve(categories: DataCategories.PII | DataCategories.CUI, customers: [Globex]);
        AssertCompliantWithoutWarnings(Civilian());
        AssertFails(FindingRule.Unapproved, Defense());
    }

    [Fact]
    public void Approval_limited_to_sector_and_customer_needs_both()
    {
        Approve(categories: DataCategories.PII | DataCategories.CUI, sectors: Sectors.Defense, customers: [Globex]);
        AssertFails(FindingRule.Unapproved, Civilian());
        AssertFails(FindingRule.Unapproved, Defense());
    }

    // ---- 4. impact level --------------------------------------------------------------------------------

    [Theory]
    [InlineData(ImpactLevel.None, ImpactLevel.None, true)]
    [InlineData(ImpactLevel.IL2, ImpactLevel.None, false)]
    [InlineData(ImpactLevel.IL2, ImpactLevel.IL2, true)]
    [InlineData(ImpactLevel.IL4, ImpactLevel.IL2, false)]
    [InlineData(ImpactLevel.IL4, ImpactLevel.IL4, true)]
    [InlineData(ImpactLevel.IL5, ImpactLevel.IL4, false)]
    [InlineData(ImpactLevel.IL5, ImpactLevel.IL5, true)]
    [InlineData(ImpactLevel.IL6, ImpactLevel.IL5, false)]
    [InlineData(ImpactLevel.IL6, ImpactLevel.IL6, true)]
    [InlineData(ImpactLevel.IL2, ImpactLevel.IL6, true)]
    public void Approval_covers_workloads_up_to_its_maximum_impact_level(ImpactLevel workload, ImpactLevel max, bool allowed)
    {
        Approve(max: max);
        var e = Evaluate(Defense(workload));
        Assert.Equal(allowed, e.Allowed);
        if (!allowed)
        {
            Assert.Equal([FindingRule.ImpactLevelExceeded], Rules(e));
            Assert.Contains(workload.ToString(), e.Reasons[0].Message);
        }
    }

    [Fact]
    public void A_second_approval_at_a_higher_level_covers_what_the_first_does_not()
    {
        Approve(max: ImpactLevel.IL2);
        Approve(max: ImpactLevel.IL6);
        AssertCompliantWithoutWarnings(Defense(ImpactLevel.IL6));
    }

    [Fact]
    public void Approval_at_the_right_level_for_another_customer_does_not_help()
    {
        Approve(max: ImpactLevel.IL2);
        Approve(max: ImpactLevel.IL6, customers: [Globex]);
        AssertFails(FindingRule.ImpactLevelExceeded, Defense(ImpactLevel.IL5));
    }

    // ---- 5. data categories -----------------------------------------------------------------------------

    [Fact]
    public void Every_data_category_of_the_workload_must_be_approved()
    {
        Approve(categories: DataCategories.CUI);
        var e = Evaluate(Defense(categories: DataCategories.CUI | DataCategories.ExportControlled));
        Assert.Equal([FindingRule.DataCategoryNotApproved], Rules(e));
        Assert.Contains("ExportControlled", e.Reasons[0].Message);
    }

    [Fact]
    public void A_subset_of_the_approved_categories_is_covered()
    {
        Approve(categories: DataCategories.CUI | DataCategories.PII | DataCategories.PHI);
        AssertCompliantWithoutWarnings(Defense(categories: DataCategories.PII | DataCategories.CUI));
    }

    [Fact]
    public void Workload_without_data_categories_is_covered_by_any_approval()
    {
        Approve(categories: DataCategories.None);
        AssertCompliantWithoutWarnings(Defense(categories: DataCategories.None));
    }

    [Fact]
    public void Categories_split_across_two_approvals_do_not_cover_the_workload()
    {
        Approve(categories: DataCategories.CUI);
        Approve(categories: DataCategories.ExportControlled);
        AssertFails(FindingRule.DataCategoryNotApproved, Defense(categories: DataCategories.CUI | DataCategories.ExportControlled));
    }

    [Fact]
    public void One_approval_must_cover_level_and_categories_together()
    {
        Approve(max: ImpactLevel.IL6, categories: DataCategories.PII);
        Approve(max: ImpactLevel.IL2, categories: DataCategories.CUI);
        // The IL6 one gets further along the rule: it covers the level and stops at the categories.
        AssertFails(FindingRule.DataCategoryNotApproved, Defense(ImpactLevel.IL5, DataCategories.CUI));
    }

    // ---- 6. usage ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData(Usage.Inference, Usages.Inference, true)]
    [InlineData(Usage.Agent, Usages.Inference, false)]
    [InlineData(Usage.CodingAssistant, Usages.Inference | Usages.Agent, false)]
    [InlineData(Usage.CodingAssistant, Usages.CodingAssistant, true)]
    [InlineData(Usage.Agent, Usages.All, true)]
    [InlineData(Usage.Inference, Usages.None, false)]
    public void Approval_covers_the_usages_it_names(Usage usage, Usages approved, bool allowed)
    {
        Approve(usages: approved);
        var e = Evaluate(Defense(usage: usage));
        Assert.Equal(allowed, e.Allowed);
        if (!allowed)
        {
            Assert.Equal([FindingRule.UsageNotApproved], Rules(e));
        }
    }

    [Fact]
    public void The_first_gap_of_the_best_candidate_is_reported()
    {
        Approve(max: ImpactLevel.IL2);                                      // fails at the level
        var best = Approve(max: ImpactLevel.IL6, usages: Usages.Inference); // fails only at the usage
        var reason = Assert.Single(Evaluate(Defense(usage: Usage.CodingAssistant)).Reasons);
        Assert.Equal(FindingRule.UsageNotApproved, reason.Rule);
        Assert.Equal(best.Id, reason.ApprovalId);
    }

    [Fact]
    public void A_covering_approval_wins_over_partial_ones()
    {
        Approve(max: ImpactLevel.IL2);
        Approve(usages: Usages.Inference);
        Approve(usages: Usages.Agent);
        AssertCompliantWithoutWarnings(Defense(usage: Usage.Agent));
    }

    // ---- warnings ---------------------------------------------------------------------------------------

    [Fact]
    public void Approval_ending_within_the_window_warns()
    {
        var a = Approve(until: T + Window);
        var e = Evaluate(Defense());
        Assert.True(e.Allowed);
        var reason = Assert.Single(e.Reasons);
        Assert.Equal(FindingRule.ApprovalExpiringSoon, reason.Rule);
        Assert.Equal(Severity.Warning, reason.Severity);
        Assert.Equal(a.Id, reason.ApprovalId);
    }

    [Fact]
    public void Approval_ending_just_after_the_window_does_not_warn()
    {
        Approve(until: T + Window + TimeSpan.FromTicks(1));
        AssertCompliantWithoutWarnings(Defense());
    }

    [Fact]
    public void Expiring_approval_does_not_warn_when_a_longer_one_also_covers_the_binding()
    {
        Approve(until: T.AddDays(3));
        Approve(until: T.AddDays(200));
        AssertCompliantWithoutWarnings(Defense());
    }

    [Fact]
    public void Expiring_soon_window_is_a_parameter()
    {
        Approve(until: T.AddDays(40));
        Assert.Empty(Evaluate(Defense()).Reasons);
        var e = BindingEvaluator.Evaluate(Defense(), _model, _approvals, _restrictions, T, TimeSpan.FromDays(45));
        Assert.Equal([FindingRule.ApprovalExpiringSoon], Rules(e));
    }

    [Fact]
    public void Expiring_and_deprecated_binding_carries_both_warnings()
    {
        Approve(until: T.AddDays(1));
        _model.DeprecatedOn = T.AddDays(-1);
        var e = Evaluate(Defense());
        Assert.True(e.Allowed);
        Assert.Equal([FindingRule.ApprovalExpiringSoon, FindingRule.ModelDeprecated], Rules(e));
    }

    // ---- severities and the reference data --------------------------------------------------------------

    [Theory]
    [InlineData(FindingRule.Restricted, Severity.Critical)]
    [InlineData(FindingRule.ModelRetired, Severity.Critical)]
    [InlineData(FindingRule.Unapproved, Severity.High)]
    [InlineData(FindingRule.ApprovalExpired, Severity.High)]
    [InlineData(FindingRule.ImpactLevelExceeded, Severity.High)]
    [InlineData(FindingRule.DataCategoryNotApproved, Severity.High)]
    [InlineData(FindingRule.UsageNotApproved, Severity.High)]
    [InlineData(FindingRule.ApprovalExpiringSoon, Severity.Warning)]
    [InlineData(FindingRule.ModelDeprecated, Severity.Warning)]
    public void Every_rule_has_its_severity(FindingRule rule, Severity severity) =>
        Assert.Equal(severity, BindingEvaluator.SeverityOf(rule));

    [Fact]
    public void Reference_data_evaluates_like_the_function_and_keeps_only_relevant_rows()
    {
        Approve(status: ApprovalStatus.Requested);
        Approve(max: ImpactLevel.IL4);
        Restrict(modelId: null, provider: "Anthropic", min: ImpactLevel.IL5);
        Restrict(modelId: null, provider: "Meta");
        var other = new Model { Id = 8, Provider = "Meta", HostModelId = "meta.llama", DisplayName = "Llama", Hosting = "AWS Bedrock" };
        var data = new ReferenceData([_model, other], _approvals, _restrictions, T);

        Assert.Single(data.ApprovalsOf(7));
        Assert.Empty(data.ApprovalsOf(8));
        Assert.Equal(Rules(Evaluate(Defense())), Rules(data.Evaluate(Defense(), T, Window)));
        Assert.Equal([FindingRule.Restricted, FindingRule.ImpactLevelExceeded], Rules(data.Evaluate(Defense(), T, Window)));
        Assert.True(data.Evaluate(Defense(ImpactLevel.IL4), T, Window).Allowed);
        Assert.Null(data.FindModel(99));
        Assert.Throws<KeyNotFoundException>(() => data.Evaluate(Defense() with { ModelId = 99 }, T, Window));
    }

    [Fact]
    public void Alternatives_are_the_models_the_rule_allows_for_the_workload_without_the_restricted_one()
    {
        Approve();
        Restrict(modelId: null, provider: "Anthropic");
        var meta = new Model { Id = 8, Provider = "Meta", HostModelId = "meta.llama", DisplayName = "Llama", Hosting = "AWS Bedrock GovCloud" };
        var lowLevel = new Model { Id = 9, Provider = "Amazon", HostModelId = "amazon.nova", DisplayName = "Nova", Hosting = "AWS Bedrock" };
        var deprecated = new Model { Id = 10, Provider = "Cohere", HostModelId = "cohere.command", DisplayName = "Command", Hosting = "AWS Bedrock GovCloud", DeprecatedOn = T.AddDays(-1) };
        var sibling = new Model { Id = 11, Provider = "Anthropic", HostModelId = "anthropic.other", DisplayName = "Other", Hosting = "AWS Bedrock GovCloud" };
        Approval For(Model m, ImpactLevel max) => new()
        {
            Id = 50 + m.Id, ModelId = m.Id, Status = ApprovalStatus.Approved, MaxImpactLevel = max, DataCategories = DataCategories.CUI,
            Usages = Usages.All, ValidFrom = T.AddDays(-10), ValidUntil = T.AddDays(300), RequestedBy = "officer",
        };
        var data = new ReferenceData([_model, meta, lowLevel, deprecated, sibling],
            [.. _approvals, For(meta, ImpactLevel.IL6), For(lowLevel, ImpactLevel.IL2), For(deprecated, ImpactLevel.IL5), For(sibling, ImpactLevel.IL6)],
            _restrictions, T);

        var alternatives = data.AllowedAlternatives(Defense(ImpactLevel.IL5), T, Window);

        Assert.Equal([meta.Id, deprecated.Id], alternatives.Select(m => m.Id));
    }
}
