using System.Security.Claims;
using Compliance.Domain;
using Compliance.Tests.Features.Attestations;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Compliance.Web.Features.Checks.Run;
using Compliance.Web.Shared;

namespace Compliance.Tests.Auth;

/// <summary>
/// The services check the caller themselves, not only the pages: every command called as every kind of caller, with
/// the expected allow or refusal, and a refusal writes nothing (no row, no audit event).
/// </summary>
public sealed class ServiceRoleTests(ServiceRoleTests.Fixture fixture) : IClassFixture<ServiceRoleTests.Fixture>
{
    private static readonly Dictionary<string, ClaimsPrincipal> Callers = new()
    {
        ["Officer"] = People.Officer,
        ["Administrator"] = People.Admin,
        ["Auditor"] = People.Auditor,
        ["Pipeline"] = People.Pipeline,
        ["Customer"] = People.Customer("acme"),
        ["Customer+Officer"] = People.Customer("acme", Roles.ComplianceOfficer),
        ["Customer+Administrator"] = People.Customer("acme", Roles.Administrator),
        ["Customer+Auditor"] = People.Customer("acme", Roles.Auditor),
    };

    private static readonly string[] Staff = ["Officer", "Administrator", "Auditor"];
    private static readonly string[] AcmeCustomers = ["Customer", "Customer+Officer", "Customer+Administrator", "Customer+Auditor"];

    /// <summary>command → the callers it allows; every other caller is refused.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Inventory.CreateBinding"] = ["Officer", "Pipeline"],
        ["Inventory.EndBinding"] = ["Officer", "Pipeline"],
        ["Inventory.MoveBinding"] = ["Officer", "Pipeline"],
        ["Inventory.SaveModel"] = ["Officer"],
        ["Inventory.SaveWorkload"] = ["Officer"],
        ["Inventory.SaveCustomer"] = ["Officer"],
        ["Inventory.DeleteWorkload"] = ["Officer"],
        ["Attestations.IssueForAcme"] = ["Officer", "Customer+Officer"],
        ["Attestations.IssueForGlobex"] = ["Officer"],
        ["Attestations.WithdrawAcmes"] = ["Officer", "Customer+Officer"],
        ["Attestations.WithdrawGlobexs"] = ["Officer"],
        ["Attestations.AccessLogOfAcmes"] = [.. Staff, .. AcmeCustomers],
        ["Attestations.AccessLogOfGlobexs"] = Staff,
        ["Decisions.AboutAnAcmeWorkload"] = [.. Staff, "Pipeline", .. AcmeCustomers],
        ["Decisions.AboutAGlobexWorkload"] = [.. Staff, "Pipeline"],
    };

    public static TheoryData<string, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (command, allowed) in Allowed)
        {
            foreach (var caller in Callers.Keys)
            {
                data.Add(command, caller, allowed.Contains(caller));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_service_command_allows_exactly_its_callers_and_a_refusal_changes_nothing(string command, string caller, bool allowed)
    {
        var act = await fixture.ArrangeAsync(command);
        var before = await fixture.StateAsync();

        var (succeeded, refused) = await act(Callers[caller]);

        if (allowed)
        {
            Assert.True(succeeded, $"{command} as {caller} was refused.");
        }
        else
        {
            Assert.False(succeeded, $"{command} as {caller} was allowed.");
            Assert.True(refused, $"{command} as {caller} failed, but not as a refusal (forbidden or not found).");
            Assert.Equal(before, await fixture.StateAsync());
        }
    }

    [Fact]
    public async Task A_refusal_says_why_in_words()
    {
        var outcome = await fixture.Inventory.SaveModelAsync(People.Customer("acme", Roles.ComplianceOfficer),
            new Model { Provider = "X", HostModelId = "x", DisplayName = "X", Hosting = "Self-hosted" });

        Assert.True(outcome.Forbidden);
        Assert.Contains("compliance officer", outcome.Message);
    }

    /// <summary>A demo database, the services as the app builds them, and an attestation for acme and for globex.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly TestDatabase _database = new();
        private AttestationCertificateSource? _certificates;
        private int _serial;

        public InventoryService Inventory { get; private set; } = null!;

        public AttestationService Attestations { get; private set; } = null!;

        public DecisionService Decisions { get; private set; } = null!;

        private int _acmeId, _globexId, _acmeWorkloadId, _globexWorkloadId, _modelId, _otherModelId;

        public async Task InitializeAsync()
        {
            await _database.InitializeAsync();
            await _database.SeedDemoAsync();
            Inventory = new InventoryService(_database.Factory, new InventoryEvents(), TimeProvider.System);
            Attestations = AttestationFixture.CreateService(_database, out var certificates);
            _certificates = certificates;
            Decisions = new DecisionService(new ReferenceDataCache(_database.Factory, TimeProvider.System), _database.Options,
                Options.Create(new CheckOptions()), TimeProvider.System, new CustomerScopes(_database.Factory, new OidcSettings()));

            await using var db = _database.Create();
            _acmeId = await db.Customers.Where(c => c.Code == "acme").Select(c => c.Id).SingleAsync();
            _globexId = await db.Customers.Where(c => c.Code == "globex").Select(c => c.Id).SingleAsync();
            _acmeWorkloadId = await db.Workloads.Where(w => w.CustomerId == _acmeId).OrderBy(w => w.Id).Select(w => w.Id).FirstAsync();
            _globexWorkloadId = await db.Workloads.Where(w => w.CustomerId == _globexId).OrderBy(w => w.Id).Select(w => w.Id).FirstAsync();
            var models = await db.Models.OrderBy(m => m.Id).Select(m => m.Id).Take(2).ToListAsync();
            (_modelId, _otherModelId) = (models[0], models[1]);
        }

        public async Task DisposeAsync()
        {
            Decisions.Dispose();
            _certificates?.Dispose();
            await _database.DisposeAsync();
        }

        /// <summary>Sets up what the command needs (a fresh workload, binding or attestation) and returns the call.</summary>
        public async Task<Func<ClaimsPrincipal, Task<(bool Succeeded, bool Refused)>>> ArrangeAsync(string command)
        {
            var n = Interlocked.Increment(ref _serial);
            switch (command)
            {
                case "Inventory.CreateBinding":
                {
                    var workload = await NewWorkloadAsync(n);
                    return async user => Result(await Inventory.CreateBindingAsync(user, new BindingInput(_modelId, workload, Usage.Inference, "test", null)));
                }

                case "Inventory.EndBinding":
                {
                    var binding = await NewBindingAsync(n);
                    return async user => Result(await Inventory.EndBindingAsync(user, binding, null, "test"));
                }

                case "Inventory.MoveBinding":
                {
                    var binding = await NewBindingAsync(n);
                    return async user => Result(await Inventory.MoveBindingAsync(user, binding, _otherModelId, null, "test"));
                }

                case "Inventory.SaveModel":
                    return async user => Result(await Inventory.SaveModelAsync(user,
                        new Model { Provider = "Test", HostModelId = $"test/model-{n}", DisplayName = $"Test {n}", Hosting = "Self-hosted" }));
                case "Inventory.SaveWorkload":
                    return async user => Result(await Inventory.SaveWorkloadAsync(user,
                        new Workload { Name = $"Role test {n}", CustomerId = _acmeId, ImpactLevel = ImpactLevel.IL2 }));
                case "Inventory.SaveCustomer":
                    return async user => Result(await Inventory.SaveCustomerAsync(user,
                        new Customer { Code = $"role-test-{n}", Name = $"Role test {n}", Sector = Sector.Commercial }));
                case "Inventory.DeleteWorkload":
                {
                    var workload = await NewWorkloadAsync(n);
                    return async user => Result(await Inventory.DeleteAsync<Workload>(user, workload));
                }

                case "Attestations.IssueForAcme":
                    return async user => Result(await Attestations.IssueAsync(user, _acmeId, null));
                case "Attestations.IssueForGlobex":
                    return async user => Result(await Attestations.IssueAsync(user, _globexId, null));
                case "Attestations.WithdrawAcmes":
                {
                    var id = (await Attestations.IssueAsync(_acmeId, "officer", null)).Id;
                    return async user => Result(await Attestations.WithdrawAsync(user, id, "Role test."));
                }

                case "Attestations.WithdrawGlobexs":
                {
                    var id = (await Attestations.IssueAsync(_globexId, "officer", null)).Id;
                    return async user => Result(await Attestations.WithdrawAsync(user, id, "Role test."));
                }

                case "Attestations.AccessLogOfAcmes":
                case "Attestations.AccessLogOfGlobexs":
                {
                    var customer = command.EndsWith("Acmes", StringComparison.Ordinal) ? _acmeId : _globexId;
                    var id = (await Attestations.ListAsync(CustomerScope.Unrestricted, customer)).FirstOrDefault()?.Id
                        ?? (await Attestations.IssueAsync(customer, "officer", null)).Id;
                    return async user => Result(await Attestations.DownloadsAsync(user, id));
                }

                case "Decisions.AboutAnAcmeWorkload":
                case "Decisions.AboutAGlobexWorkload":
                {
                    var workload = command.Contains("Acme", StringComparison.Ordinal) ? _acmeWorkloadId : _globexWorkloadId;
                    return async user =>
                    {
                        var evaluation = await Decisions.DecideAsync(user, _modelId, workload, Usage.Inference, CancellationToken.None);
                        return (evaluation is not null, evaluation is null);
                    };
                }

                default:
                    throw new ArgumentException($"Unknown command {command}.", nameof(command));
            }
        }

        /// <summary>Row counts of everything the commands could write, and the audit trail's length: equal means nothing changed.</summary>
        public async Task<string> StateAsync()
        {
            await using var db = _database.Create();
            return string.Join(", ",
                $"audit {await db.AuditEvents.CountAsync()}",
                $"bindings {await db.Bindings.CountAsync()} ended {await db.Bindings.CountAsync(b => b.To != null)}",
                $"models {await db.Models.CountAsync()}",
                $"workloads {await db.Workloads.CountAsync()}",
                $"customers {await db.Customers.CountAsync()}",
                $"attestations {await db.Attestations.CountAsync()} withdrawn {await db.Attestations.CountAsync(a => a.Status == AttestationStatus.Withdrawn)}",
                $"downloads {await db.AttestationDownloads.CountAsync()}");
        }

        private static (bool, bool) Result<T>(Outcome<T> outcome) => (outcome.Succeeded, outcome.Forbidden || outcome.NotFound);

        private async Task<int> NewWorkloadAsync(int n)
        {
            await using var db = _database.Create("setup");
            var workload = new Workload { Name = $"Role setup {n}", CustomerId = _acmeId, ImpactLevel = ImpactLevel.IL2 };
            db.Workloads.Add(workload);
            await db.SaveChangesAsync();
            return workload.Id;
        }

        private async Task<int> NewBindingAsync(int n)
        {
            var workload = await NewWorkloadAsync(n);
            await using var db = _database.Create("setup");
            var binding = new Binding { ModelId = _modelId, WorkloadId = workload, Usage = Usage.Inference, From = DateTime.UtcNow.AddDays(-1) };
            db.Bindings.Add(binding);
            await db.SaveChangesAsync();
            return binding.Id;
        }
    }
}
