using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Inventory;

/// <summary>
/// The inventory commands as a signed-in caller makes them: the service checks the role itself, so a page or endpoint
/// that forgets its policy still cannot change the inventory. Compliance officers keep the inventory; machine clients
/// (<see cref="Roles.Pipeline"/>) may also register, end and move bindings, as the API allows. A principal holding
/// the Customer role changes nothing, whatever other roles it holds. A refusal is an <see cref="Outcome{T}"/> with
/// <see cref="Outcome{T}.Forbidden"/> set, and nothing is written.
/// </summary>
public sealed partial class InventoryService
{
    private static readonly string[] BindingWriters = [Roles.ComplianceOfficer, Roles.Pipeline];

    public Task<Outcome<Binding>> CreateBindingAsync(ClaimsPrincipal user, BindingInput input, CancellationToken ct = default) =>
        Allowed(user, BindingWriters) ? CreateBindingAsync(user.ActorName(), input, ct) : Refuse<Binding>(BindingsRefusal);

    public Task<Outcome<Binding>> EndBindingAsync(ClaimsPrincipal user, int bindingId, DateTime? at, string? reason, CancellationToken ct = default) =>
        Allowed(user, BindingWriters) ? EndBindingAsync(user.ActorName(), bindingId, at, reason, ct) : Refuse<Binding>(BindingsRefusal);

    public Task<Outcome<Binding>> MoveBindingAsync(ClaimsPrincipal user, int bindingId, int newModelId, DateTime? at, string? reason,
        Func<ComplianceDb, Binding, CancellationToken, Task>? alsoInTransaction = null, CancellationToken ct = default) =>
        Allowed(user, BindingWriters)
            ? MoveBindingAsync(user.ActorName(), bindingId, newModelId, at, reason, alsoInTransaction, ct)
            : Refuse<Binding>(BindingsRefusal);

    public Task<Outcome<Model>> SaveModelAsync(ClaimsPrincipal user, Model input, CancellationToken ct = default) =>
        Allowed(user, Roles.ComplianceOfficer) ? SaveModelAsync(user.ActorName(), input, ct) : Refuse<Model>(OfficerRefusal);

    public Task<Outcome<Workload>> SaveWorkloadAsync(ClaimsPrincipal user, Workload input, CancellationToken ct = default) =>
        Allowed(user, Roles.ComplianceOfficer) ? SaveWorkloadAsync(user.ActorName(), input, ct) : Refuse<Workload>(OfficerRefusal);

    public Task<Outcome<Customer>> SaveCustomerAsync(ClaimsPrincipal user, Customer input, CancellationToken ct = default) =>
        Allowed(user, Roles.ComplianceOfficer) ? SaveCustomerAsync(user.ActorName(), input, ct) : Refuse<Customer>(OfficerRefusal);

    public Task<Outcome<bool>> DeleteAsync<T>(ClaimsPrincipal user, int id, CancellationToken ct = default) where T : class =>
        Allowed(user, Roles.ComplianceOfficer) ? DeleteAsync<T>(user.ActorName(), id, ct) : Refuse<bool>(OfficerRefusal);

    private const string BindingsRefusal =
        "Only a compliance officer or a deployment pipeline may register, end or move bindings; a customer account changes nothing.";

    private const string OfficerRefusal = "Only a compliance officer may change models, workloads and customers; a customer account changes nothing.";

    private static bool Allowed(ClaimsPrincipal user, params string[] roles) => user.ActsAs(roles);

    private static Task<Outcome<T>> Refuse<T>(string why) => Task.FromResult(Outcome<T>.Refused(why));
}
