using Compliance.Data.Audit;
using Compliance.Domain;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Tests.Auth;

/// <summary>Changes are attributed to a person's stable subject; the trail shows the name they had at the time beside it.</summary>
public sealed class PeopleDirectoryTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private PeopleDirectory _people = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _people = new PeopleDirectory(_database.Factory, NullLogger<PeopleDirectory>.Instance);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    private async Task ChangeSomethingAs(string subject, string name)
    {
        await using var db = _database.Create(subject);
        db.Customers.Add(new Customer { Code = name.ToLowerInvariant().Replace(' ', '-'), Name = name, Sector = Sector.Civilian });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task The_trail_names_the_subject_and_shows_the_display_name_of_the_time_beside_it()
    {
        await _people.RecordAsync(People.Named("entra|0001", "Alex Smith", Roles.Administrator));
        await ChangeSomethingAs("entra|0001", "First Org");

        await _people.RecordAsync(People.Named("entra|0001", "Alexandra Smith-Jones", Roles.Administrator));
        await ChangeSomethingAs("entra|0001", "Second Org");

        await using var db = _database.Create();
        var events = await db.AuditEvents.Where(e => e.Entity == nameof(Customer)).OrderBy(e => e.Id).Select(e => new { e.User, e.UserName }).ToListAsync();
        Assert.Equal([("entra|0001", "Alex Smith"), ("entra|0001", "Alexandra Smith-Jones")], events.Select(e => (e.User, e.UserName)));
        var person = await db.People.SingleAsync();
        Assert.Equal(("entra|0001", "Alexandra Smith-Jones"), (person.Subject, person.DisplayName));
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Entity == nameof(Person)));
        Assert.Null(await AuditTrail.VerifyAsync(db));
    }

    [Fact]
    public async Task Editing_the_recorded_display_name_of_an_event_breaks_the_chain()
    {
        await _people.RecordAsync(People.Named("entra|0001", "Alex Smith", Roles.Administrator));
        await ChangeSomethingAs("entra|0001", "First Org");
        await using var db = _database.Create();

        await db.Database.ExecuteSqlRawAsync("UPDATE AuditEvents SET UserName = 'Someone Else' WHERE UserName = 'Alex Smith'");

        Assert.NotNull(await AuditTrail.VerifyAsync(db));
    }

    [Fact]
    public async Task Two_people_with_one_display_name_get_two_entries_and_labels_show_the_subject()
    {
        await _people.RecordAsync(People.Named("entra|0001", "Alex Smith"));
        await _people.RecordAsync(People.Named("entra|0002", "Alex Smith"));

        var names = await _people.NamesAsync(["entra|0001", "entra|0002", "system:job"]);

        Assert.Equal(["Alex Smith (entra|0001)", "Alex Smith (entra|0002)", "system:job"],
            new[] { "entra|0001", "entra|0002", "system:job" }.Select(s => PeopleDirectory.Label(s, names)));
    }

    [Fact]
    public void A_principal_without_a_subject_cannot_be_attributed_by_its_display_name()
    {
        var nameOnly = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim("name", "Adam Admin")], "test", "name", "role"));

        Assert.Throws<InvalidOperationException>(() => nameOnly.ActorName());
    }
}
