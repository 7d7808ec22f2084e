using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Data;
using Compliance.Web.Features.Approvals;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Tests.Features.Approvals;

public abstract class RestrictionServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : RestrictionServiceTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : RestrictionServiceTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);
    private RestrictionService _restrictions = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.SeedDemoAsync();
        _restrictions = new RestrictionService(_database.Factory, new ApprovalEvents(), TimeProvider.System);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private static RestrictionInput Vendor(string provider, DateTime from, DateTime deadline, string reason = "Contracting office directive 26-114.") =>
        new(null, provider, Sectors.Defense, [], ImpactLevel.None, from, deadline, reason);

    [Fact]
    public async Task An_administrator_restricts_a_vendor_for_the_defense_sector_with_a_deadline_in_one_call()
    {
        var today = DateTime.UtcNow.Date;
        var outcome = await _restrictions.CreateAsync(People.Admin, Vendor("meta", today, today.AddDays(30)));

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors));
        await using var db = _database.Create();
        var saved = await db.Restrictions.SingleAsync(r => r.Id == outcome.Value!.Id);
        Assert.Equal(("Meta", (int?)null, Sectors.Defense, today.AddDays(30)), (saved.Provider, saved.ModelId, saved.Sectors, saved.TransitionDeadline));
        var audit = await db.AuditEvents.SingleAsync(e => e.Entity == "Restriction" && e.EntityKey == saved.Id.ToString());
        Assert.Equal(("admin", "Contracting office directive 26-114."), (audit.User, audit.Reason));
    }

    [Fact]
    public async Task A_restriction_is_validated_and_every_problem_is_named()
    {
        var today = DateTime.UtcNow.Date;
        var outcome = await _restrictions.CreateAsync(People.Admin,
            new RestrictionInput(null, null, Sectors.Defense, [424242], (ImpactLevel)1, today, today.AddDays(-1), ""));

        Assert.Equal(["modelId", "minImpactLevel", "transitionDeadline", "reason", "customerIds"], outcome.Errors.Select(e => e.Field));
        var unknownVendor = await _restrictions.CreateAsync(People.Admin, Vendor("Initech", today, today));
        Assert.Contains("'Initech'", Assert.Single(unknownVendor.Errors).Message);
        var byOfficer = await _restrictions.CreateAsync(People.Officer, Vendor("Meta", today, today));
        Assert.Equal("by", Assert.Single(byOfficer.Errors).Field);
    }

    [Fact]
    public async Task A_restriction_of_coding_assistants_on_commercial_hosting_is_saved_with_the_inventorys_spelling()
    {
        var today = DateTime.UtcNow.Date;
        var outcome = await _restrictions.CreateAsync(People.Admin, Vendor("Anthropic", today, today.AddDays(30)) with
        {
            Usages = Usages.CodingAssistant, Hostings = ["aws bedrock", "AWS Bedrock"],
        });

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors));
        await using var db = _database.Create();
        var saved = await db.Restrictions.AsNoTracking().SingleAsync(r => r.Id == outcome.Value!.Id);
        Assert.Equal(Usages.CodingAssistant, saved.Usages);
        Assert.Equal(["AWS Bedrock"], saved.Hostings);
    }

    [Fact]
    public async Task A_restriction_naming_a_hosting_the_inventory_does_not_have_is_refused_with_the_known_ones()
    {
        var today = DateTime.UtcNow.Date;
        var outcome = await _restrictions.CreateAsync(People.Admin, Vendor("Anthropic", today, today.AddDays(30)) with { Hostings = ["AWS Bedrok"] });

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("hostings", error.Field);
        Assert.Contains("'AWS Bedrok'", error.Message);
        Assert.Contains("AWS Bedrock GovCloud", error.Message);
    }

    [Fact]
    public async Task Lifting_needs_a_reason_and_two_administrators_and_happens_once()
    {
        var today = DateTime.UtcNow.Date;
        var id = (await _restrictions.CreateAsync(People.Admin, Vendor("Meta", today, today.AddDays(10)))).Value!.Id;

        Assert.Equal("reason", Assert.Single((await _restrictions.LiftAsync(People.Admin2, id, null)).Errors).Field);
        Assert.Equal("by", Assert.Single((await _restrictions.LiftAsync(People.Officer, id, "why not")).Errors).Field);
        var requested = await _restrictions.LiftAsync(People.Admin2, id, "Directive withdrawn.");
        Assert.True(requested.Succeeded, requested.Message);
        Assert.Null(requested.Value!.LiftedAt);
        Assert.Equal("by", Assert.Single((await _restrictions.LiftAsync(People.Admin2, id, "Still withdrawn.")).Errors).Field);
        await using (var db0 = _database.Create())
        {
            Assert.True((await db0.Restrictions.SingleAsync(r => r.Id == id)).IsInEffectAt(DateTime.UtcNow.AddSeconds(1)), "one administrator alone lifts nothing");
        }

        var lifted = await _restrictions.LiftAsync(People.Admin, id, "Confirmed with the contracting office.");
        Assert.True(lifted.Succeeded, lifted.Message);
        Assert.Contains("already lifted by admin", Assert.Single((await _restrictions.LiftAsync(People.Admin2, id, "again")).Errors).Message);

        await using var db = _database.Create();
        var saved = await db.Restrictions.SingleAsync(r => r.Id == id);
        Assert.Equal(("admin", "admin2", "Directive withdrawn."), (saved.LiftedBy, saved.LiftRequestedBy, saved.LiftReason));
        Assert.False(saved.IsInEffectAt(DateTime.UtcNow.AddSeconds(1)));
    }

    [Fact]
    public async Task A_withdrawn_lift_request_leaves_the_restriction_in_effect_and_needs_a_new_request()
    {
        var today = DateTime.UtcNow.Date;
        var id = (await _restrictions.CreateAsync(People.Admin, Vendor("Meta", today, today.AddDays(10)))).Value!.Id;
        Assert.True((await _restrictions.LiftAsync(People.Admin2, id, "Directive withdrawn.")).Succeeded);

        var withdrawn = await _restrictions.WithdrawLiftAsync(People.Admin, id);
        var confirm = await _restrictions.LiftAsync(People.Admin, id, "Confirming");

        Assert.True(withdrawn.Succeeded, withdrawn.Message);
        Assert.True(confirm.Succeeded);
        Assert.Null(confirm.Value!.LiftedAt); // became a new request by admin, not a confirmation
        Assert.Equal("admin", confirm.Value.LiftRequestedBy);
    }

    [Fact]
    public async Task A_deadline_extension_is_requested_with_a_reason_confirmed_by_another_administrator_and_on_the_trail()
    {
        var today = DateTime.UtcNow.Date;
        var id = (await _restrictions.CreateAsync(People.Admin, Vendor("Meta", today, today.AddDays(10)))).Value!.Id;

        Assert.Equal(["transitionDeadline", "reason"], (await _restrictions.RequestDeadlineExtensionAsync(People.Admin, id, today.AddDays(5), " ")).Errors.Select(e => e.Field));
        Assert.Equal("by", Assert.Single((await _restrictions.RequestDeadlineExtensionAsync(People.Officer, id, today.AddDays(40), "More time")).Errors).Field);
        var requested = await _restrictions.RequestDeadlineExtensionAsync(People.Admin, id, today.AddDays(40), "The replacement model's accreditation slipped.");
        Assert.True(requested.Succeeded, requested.Message);
        Assert.Equal(today.AddDays(10), requested.Value!.TransitionDeadline);
        Assert.Equal("id", Assert.Single((await _restrictions.RequestDeadlineExtensionAsync(People.Admin2, id, today.AddDays(50), "Even more")).Errors).Field);

        Assert.Contains("four-eyes", Assert.Single((await _restrictions.ConfirmDeadlineExtensionAsync(People.Admin, id)).Errors).Message);
        var confirmed = await _restrictions.ConfirmDeadlineExtensionAsync(People.Admin2, id);
        Assert.True(confirmed.Succeeded, confirmed.Message);

        await using var db = _database.Create();
        var saved = await db.Restrictions.AsNoTracking().SingleAsync(r => r.Id == id);
        Assert.Equal((today.AddDays(40), (string?)null, (DateTime?)null), (saved.TransitionDeadline, saved.DeadlineExtensionRequestedBy, saved.DeadlineExtensionTo));
        var trail = await db.AuditEvents.Where(e => e.Entity == "Restriction" && e.EntityKey == id.ToString()).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(("admin", "admin2"), (trail[^2].User, trail[^1].User));
        Assert.Contains("Requested a deadline extension to " + today.AddDays(40).ToString("yyyy-MM-dd"), trail[^2].Reason);
        Assert.Contains("requested by admin: The replacement model's accreditation slipped.", trail[^1].Reason);
    }

    [Fact]
    public async Task A_withdrawn_extension_leaves_the_deadline_and_a_list_restriction_or_a_missing_one_is_not_extended()
    {
        var today = DateTime.UtcNow.Date;
        var id = (await _restrictions.CreateAsync(People.Admin, Vendor("Meta", today, today.AddDays(10)))).Value!.Id;
        Assert.True((await _restrictions.RequestDeadlineExtensionAsync(People.Admin, id, today.AddDays(40), "Slip.")).Succeeded);

        Assert.True((await _restrictions.WithdrawDeadlineExtensionAsync(People.Admin2, id)).Succeeded);
        Assert.Equal("id", Assert.Single((await _restrictions.ConfirmDeadlineExtensionAsync(People.Admin2, id)).Errors).Field);
        Assert.True((await _restrictions.RequestDeadlineExtensionAsync(People.Admin, 424242, today.AddDays(40), "Slip.")).NotFound);

        await using var db = _database.Create();
        Assert.Equal(today.AddDays(10), (await db.Restrictions.SingleAsync(r => r.Id == id)).TransitionDeadline);
    }
}
