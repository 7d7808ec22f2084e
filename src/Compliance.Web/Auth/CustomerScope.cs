using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Auth;

/// <summary>
/// Which organisation's rows a principal may read: all of them (staff, machine clients) or one
/// customer's. Feature code filters every query that a customer can reach with
/// <see cref="CustomerScopeFilters.VisibleTo(IQueryable{Workload}, CustomerScope)"/> and its siblings,
/// so an id put into a URL or an API call cannot reach another organisation's rows.
/// </summary>
public sealed record CustomerScope
{
    private CustomerScope(bool unrestricted, int? customerId, string? customerName)
    {
        IsUnrestricted = unrestricted;
        CustomerId = customerId;
        CustomerName = customerName;
    }

    /// <summary>Staff and machine clients: every organisation.</summary>
    public static CustomerScope Unrestricted { get; } = new(true, null, null);

    /// <summary>
    /// A principal that may see no organisation's rows: a Customer whose customer claim is missing or
    /// names no known customer, or a principal with none of the roles.
    /// </summary>
    public static CustomerScope Nothing { get; } = new(false, null, null);

    public static CustomerScope For(Customer customer) => new(false, customer.Id, customer.Name);

    public bool IsUnrestricted { get; }

    /// <summary>The one customer this principal may see; null when unrestricted or when it may see nothing.</summary>
    public int? CustomerId { get; }

    public string? CustomerName { get; }

    public bool SeesNothing => !IsUnrestricted && CustomerId is null;

    public bool CanSee(int customerId) => IsUnrestricted || CustomerId == customerId;
}

/// <summary>Resolves a principal's <see cref="CustomerScope"/>: the customer claim's value is a <see cref="Customer.Code"/>.</summary>
public sealed class CustomerScopes(IDbContextFactory<ComplianceDb> factory, OidcSettings settings)
{
    /// <remarks>
    /// The Customer role always restricts, even when a principal also carries a staff role: a customer
    /// account that was given a staff role by mistake must not see other organisations. A Customer
    /// principal without a valid customer claim sees nothing.
    /// </remarks>
    public async Task<CustomerScope> ForAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return CustomerScope.Nothing;
        }

        if (user.IsInRole(Roles.Customer))
        {
            var code = user.FindFirst(settings.CustomerClaim)?.Value;
            if (string.IsNullOrWhiteSpace(code) || user.FindAll(settings.CustomerClaim).Skip(1).Any())
            {
                return CustomerScope.Nothing;
            }

            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Code == code, cancellationToken);
            return customer is null ? CustomerScope.Nothing : CustomerScope.For(customer);
        }

        return user.IsInRole(Roles.ComplianceOfficer) || user.IsInRole(Roles.Administrator)
            || user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Pipeline)
            ? CustomerScope.Unrestricted
            : CustomerScope.Nothing;
    }
}

/// <summary>Query filters that keep a customer to its own organisation's rows. Every customer-reachable query goes through one.</summary>
public static class CustomerScopeFilters
{
    public static IQueryable<Customer> VisibleTo(this IQueryable<Customer> query, CustomerScope scope) =>
        scope.IsUnrestricted ? query
        : scope.CustomerId is { } id ? query.Where(c => c.Id == id)
        : query.Where(_ => false);

    public static IQueryable<Workload> VisibleTo(this IQueryable<Workload> query, CustomerScope scope) =>
        scope.IsUnrestricted ? query
        : scope.CustomerId is { } id ? query.Where(w => w.CustomerId == id)
        : query.Where(_ => false);

    public static IQueryable<Binding> VisibleTo(this IQueryable<Binding> query, CustomerScope scope) =>
        scope.IsUnrestricted ? query
        : scope.CustomerId is { } id ? query.Where(b => b.Workload!.CustomerId == id)
        : query.Where(_ => false);

    public static IQueryable<Attestation> VisibleTo(this IQueryable<Attestation> query, CustomerScope scope) =>
        scope.IsUnrestricted ? query
        : scope.CustomerId is { } id ? query.Where(a => a.CustomerId == id)
        : query.Where(_ => false);
}
