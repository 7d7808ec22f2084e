using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Approvals;
using Compliance.Web.Features.Checks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Tests.Features.Approvals;

/// <summary>The preview of a restriction or a revocation tells what the real one then does, and changes nothing itself.</summary>
public abstract class BlastRadiusServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : BlastRadiusServiceTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : BlastRadiusServiceTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private readonly TestClock _clock = new();
    private CheckRunner _runner = null!;
    private BlastRadiusService _preview = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        var options = Options.Create(new CheckOptions());
        _runner = new CheckRunner(_database.Factory, options, _clock, NullLogger<CheckRunner>.Instance);
        _preview = new BlastRadiusService(_database.Factory, options, _clock);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private RestrictionInput Draft(string provider, Sectors sectors = Sectors.Defense | Sectors.Intelligence, DateTime? from = null) =>
        new(null, provider, sectors, [], ImpactLevel.None, from ?? _clock.UtcNow.Date, (from ?? _clock.UtcNow.Date).AddDays(30), "what-if");

    private async Task<BlastRadius> PreviewAsync(RestrictionInput draft)
    {
        var outcome = await _preview.OfRestrictionAsync(People.Officer, draft);
        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => e.Message)));
        return outcome.Value!;
    }

    [Theory]
    [InlineData("Anthropic")]
    [InlineData("Meta")]
    [InlineData("OpenAI")]
    public async Task The_preview_of_a_vendor_restriction_matches_what_the_check_run_finds_once_it_is_in_force(string provider)
    {
        var before = await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        var draft = Draft(provider);

        var preview = await PreviewAsync(draft);
        await using (var db = _database.Create("admin"))
        {
            db.Restrictions.Add(new Restriction
            {
                Provider = provider, Sectors = draft.Sectors, EffectiveFrom = draft.EffectiveFrom, TransitionDeadline = draft.TransitionDeadline,
                Reason = "now for real", CreatedBy = "admin", CreatedAt = _clock.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var after = await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);

        Assert.Equal(before.BindingsEvaluated, preview.Bindings);
        Assert.Equal(before.CompliantBindings, preview.CompliantBefore);
        Assert.Equal(after.CompliantBindings, preview.CompliantAfter);
        Assert.Equal(before.CompliantBindings - after.CompliantBindings, preview.BindingsAffected);
        Assert.Equal(preview.BindingsAffected, preview.Customers.Sum(c => c.Bindings));
        Assert.InRange(preview.AffectedWithAlternative, 0, preview.BindingsAffected);
    }

    [Fact]
    public async Task A_restriction_of_a_vendor_in_use_touches_bindings_and_finds_alternatives_for_some()
    {
        var preview = await PreviewAsync(Draft("Anthropic", Sectors.None));

        Assert.True(preview.BindingsAffected > 0, "the demo serves Anthropic models");
        Assert.True(preview.AffectedWithAlternative > 0, "other vendors' approved models cover some of those workloads");
        Assert.True(preview.PercentAfter < preview.PercentBefore);
        Assert.All(preview.Customers, c => Assert.False(string.IsNullOrEmpty(c.Name)));
    }

    [Fact]
    public async Task A_restriction_whose_sector_and_customers_never_meet_touches_nothing()
    {
        int globex;
        await using (var db = _database.Create())
        {
            globex = await db.Customers.Where(c => c.Code == "globex" && c.Sector == Sector.Civilian).Select(c => c.Id).SingleAsync();
        }

        var preview = await PreviewAsync(Draft("Anthropic", Sectors.Defense) with { CustomerIds = [globex] });

        Assert.Equal(0, preview.BindingsAffected);
        Assert.Equal(preview.CompliantBefore, preview.CompliantAfter);
        Assert.Empty(preview.Customers);
    }

    [Fact]
    public async Task The_preview_of_revoking_an_approval_matches_the_revocation()
    {
        var before = await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        int approvalId;
        await using (var db = _database.Create())
        {
            var used = await db.Bindings.Select(b => b.ModelId).Distinct().ToListAsync();
            approvalId = await db.Approvals.Where(a => a.Status == ApprovalStatus.Approved && used.Contains(a.ModelId)).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        }

        var preview = (await _preview.OfRevocationAsync(People.Admin, approvalId)).Value!;
        await using (var db = _database.Create("admin"))
        {
            (await db.Approvals.SingleAsync(a => a.Id == approvalId)).Status = ApprovalStatus.Revoked;
            await db.SaveChangesAsync();
        }

        var after = await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);

        Assert.Equal(before.CompliantBindings, preview.CompliantBefore);
        Assert.Equal(after.CompliantBindings, preview.CompliantAfter);
    }

    [Fact]
    public async Task Whether_a_binding_has_an_alternative_agrees_with_the_transition_plans_suggestions()
    {
        await using var db = _database.Create();
        var at = _clock.UtcNow;
        var reference = (await ReferenceData.LoadAsync(db, at, CancellationToken.None)).Assuming(
            new Restriction { Id = -1, Provider = "Anthropic", Reason = "what-if", CreatedBy = "test", EffectiveFrom = at.AddDays(-1), TransitionDeadline = at.AddDays(30) },
            new HashSet<int>());
        var facts = await db.Bindings.AsNoTracking().Select(b => new BindingFacts(
            b.ModelId, b.Workload!.CustomerId, b.Workload.Customer!.Sector, b.Workload.ImpactLevel, b.Workload.DataCategories, b.Usage)).ToListAsync();
        var shapes = new Dictionary<BindingFacts, (int, int)>();

        var disagreements = facts.Where(f => reference.HasAlternative(f, at, BindingEvaluator.DefaultExpiringSoonWindow, shapes)
            != reference.AllowedAlternatives(f, at, BindingEvaluator.DefaultExpiringSoonWindow).Count > 0).ToList();

        Assert.Empty(disagreements);
        Assert.Contains(facts, f => reference.HasAlternative(f, at, BindingEvaluator.DefaultExpiringSoonWindow, shapes));
        Assert.True(shapes.Count < facts.Count, "workload shapes are shared between bindings");
    }

    [Fact]
    public async Task A_preview_writes_nothing()
    {
        await _runner.RunAsync(CheckTrigger.Manual, CancellationToken.None);
        (int, int, int, long) Count(Compliance.Data.ComplianceDb db) =>
            (db.Restrictions.Count(), db.Findings.Count(), db.CheckRuns.Count(), db.AuditEvents.Max(e => e.Id));
        (int, int, int, long) counted;
        await using (var db = _database.Create())
        {
            counted = Count(db);
        }

        await PreviewAsync(Draft("Anthropic", Sectors.None));

        await using (var db = _database.Create())
        {
            Assert.Equal(counted, Count(db));
        }
    }

    [Fact]
    public async Task A_restriction_taking_effect_later_is_measured_on_its_first_day()
    {
        var from = _clock.UtcNow.Date.AddDays(10);

        var preview = await PreviewAsync(Draft("Anthropic", Sectors.None, from));

        Assert.Equal(from, preview.EvaluatedAt);
        Assert.True(preview.BindingsAffected > 0);
    }

    [Fact]
    public async Task Customers_auditors_and_drafts_without_a_target_are_refused()
    {
        var customer = await _preview.OfRestrictionAsync(People.Customer("acme"), Draft("Anthropic"));
        var customerWithOfficerRole = await _preview.OfRestrictionAsync(People.Customer("acme", Compliance.Web.Auth.Roles.ComplianceOfficer), Draft("Anthropic"));
        var auditor = await _preview.OfRevocationAsync(People.Auditor, 1);
        var noTarget = await _preview.OfRestrictionAsync(People.Officer, Draft("Anthropic") with { Provider = null });
        var missing = await _preview.OfRevocationAsync(People.Officer, 99_999);

        Assert.True(customer.Forbidden);
        Assert.True(customerWithOfficerRole.Forbidden);
        Assert.True(auditor.Forbidden);
        Assert.Equal("provider", Assert.Single(noTarget.Errors).Field);
        Assert.True(missing.NotFound);
    }
}
