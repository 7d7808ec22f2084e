using System.Security.Claims;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Notifications;
using Microsoft.Extensions.Logging.Abstractions;
using Compliance.Web.Data;

namespace Compliance.Tests.Features.Notifications;

/// <summary>Who gets an email by role is what the identity provider sent at sign-in: the email claim and the roles, by subject.</summary>
public abstract class RecipientsTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : RecipientsTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : RecipientsTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = new(provider);

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    /// <summary>A new principal (Clone would share, and change, the shared test person's identity) with the email claim.</summary>
    private static ClaimsPrincipal WithEmail(ClaimsPrincipal person, string email) =>
        new(new ClaimsIdentity(person.Claims.Append(new Claim("email", email)), "test", "name", "role"));

    [Fact]
    public async Task Administrators_are_found_by_the_roles_and_address_of_their_last_sign_in_and_their_preferences_hold()
    {
        var people = new PeopleDirectory(_database.Factory, NullLogger<PeopleDirectory>.Instance);
        await people.RecordAsync(WithEmail(People.Admin, "adam@agency.example"));
        await people.RecordAsync(WithEmail(People.Admin2, "ada@agency.example"));
        await people.RecordAsync(WithEmail(People.Officer, "olivia@agency.example"));
        await people.RecordAsync(People.Auditor); // no address: never emailed
        var recipients = new NotificationRecipients(_database.Factory);

        var admins = await recipients.WithRoleAsync(Roles.Administrator, p => p.ApprovalEmails, CancellationToken.None);
        Assert.Equal([new Recipient("admin", "adam@agency.example"), new Recipient("admin2", "ada@agency.example")], admins);

        // admin2 changes address at the provider and turns approval emails off on the preferences page.
        await people.RecordAsync(WithEmail(People.Admin2, "ada.new@agency.example"));
        await new NotificationPreferenceService(_database.Factory).SaveAsync(People.Admin2, restrictionEmails: true, approvalEmails: false, dailyDigest: true);

        admins = await recipients.WithRoleAsync(Roles.Administrator, p => p.ApprovalEmails, CancellationToken.None);
        Assert.Equal([new Recipient("admin", "adam@agency.example")], admins);
        Assert.Contains("ada.new@agency.example", await recipients.OptedOutAddressesAsync(p => p.ApprovalEmails, CancellationToken.None));
        Assert.Empty(await recipients.OptedOutAddressesAsync(p => p.RestrictionEmails, CancellationToken.None));
        var officers = await recipients.WithRoleAsync(Roles.ComplianceOfficer, p => p.DailyDigest, CancellationToken.None);
        Assert.Equal("olivia@agency.example", Assert.Single(officers).Email);
    }
}
