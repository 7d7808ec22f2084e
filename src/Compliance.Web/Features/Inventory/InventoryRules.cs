using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Options;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Inventory;

/// <summary>
/// The field rules every path into the inventory applies — the pages and the API (through <see cref="InventoryService"/>),
/// the CSV and CycloneDX imports — so a value refused on one path is refused on all, in the same words: text no longer
/// than the model allows, dates inside the configured window, an end or move after the start.
/// </summary>
public sealed class InventoryRules(IOptions<InventoryDateOptions> dates, TimeProvider clock)
{
    /// <summary>The rules with the default date window, for callers built outside the container (tests, tools).</summary>
    public static InventoryRules Default { get; } = new(Options.Create(new InventoryDateOptions()), TimeProvider.System);

    // The limits are read from the EF model itself (HasMaxLength in Compliance.Model's configurations, 400 by convention),
    // so the database's columns and these checks cannot drift apart. The model is provider-neutral for lengths.
    private static readonly Lazy<IModel> EfModel = new(() =>
    {
        using var db = new ComplianceDb(new DbContextOptionsBuilder<ComplianceDb>().UseSqlite("Data Source=:memory:").Options);
        return db.Model;
    });

    /// <summary>The longest text the model stores in <typeparamref name="T"/>.<paramref name="property"/>.</summary>
    public static int MaxLength<T>(string property) =>
        EfModel.Value.FindEntityType(typeof(T))?.FindProperty(property)?.GetMaxLength()
        ?? throw new ArgumentException($"{typeof(T).Name}.{property} is not a text property with a length in the model.", nameof(property));

    /// <summary>An error when <paramref name="value"/> is longer than <typeparamref name="T"/>.<paramref name="property"/> may hold.</summary>
    public static FieldError? Length<T>(string field, string? value, string property)
    {
        var max = MaxLength<T>(property);
        return value is not null && value.Length > max
            ? new FieldError(field, $"'{field}' is {value.Length:N0} characters long; the limit is {max:N0}.")
            : null;
    }

    /// <summary>The earliest and latest dates accepted now.</summary>
    public (DateTime Earliest, DateTime Latest) Window
    {
        get
        {
            var today = clock.GetUtcNow().UtcDateTime.Date;
            return (today.AddYears(-dates.Value.YearsBack), today.AddYears(dates.Value.YearsAhead));
        }
    }

    /// <summary>An error when <paramref name="value"/> lies outside <see cref="Window"/> (year 1 or 9999 is a typo, not a plan).</summary>
    public FieldError? Date(string field, DateTime? value)
    {
        var (earliest, latest) = Window;
        return value is { } d && (d < earliest || d > latest)
            ? new FieldError(field, $"'{field}' is {d:yyyy-MM-dd}; dates from {earliest:yyyy-MM-dd} to {latest:yyyy-MM-dd} are accepted "
                + $"(Inventory:Dates:YearsBack {dates.Value.YearsBack}, YearsAhead {dates.Value.YearsAhead}).")
            : null;
    }

    /// <summary>An error when an end or move date is not after the binding's start: a binding would end before it began.</summary>
    public static FieldError? AfterStart(string field, DateTime start, DateTime? value) =>
        value is { } d && d <= start
            ? new FieldError(field, $"'{field}' is {d:yyyy-MM-dd HH:mm} UTC; it must be after the binding's start, {start:yyyy-MM-dd HH:mm} UTC.")
            : null;

    /// <summary>The text limits of a binding, a model, a workload and a customer, as each path names its fields.</summary>
    public static IEnumerable<FieldError> BindingText(string? purpose, string? reason, string purposeField = "purpose", string reasonField = "reason") =>
        Errors(Length<Binding>(purposeField, purpose?.Trim(), nameof(Binding.Purpose)), Length<AuditEvent>(reasonField, reason, nameof(AuditEvent.Reason)));

    public static IEnumerable<FieldError> ModelText(Model m, Func<string, string>? name = null)
    {
        name ??= n => n;
        return Errors(
            Length<Model>(name("provider"), m.Provider?.Trim(), nameof(Model.Provider)),
            Length<Model>(name("hostModelId"), m.HostModelId?.Trim(), nameof(Model.HostModelId)),
            Length<Model>(name("displayName"), m.DisplayName?.Trim(), nameof(Model.DisplayName)),
            Length<Model>(name("version"), m.Version?.Trim(), nameof(Model.Version)),
            Length<Model>(name("hosting"), m.Hosting?.Trim(), nameof(Model.Hosting)),
            Length<Model>(name("region"), m.Region?.Trim(), nameof(Model.Region)),
            Length<Model>(name("description"), m.Description, nameof(Model.Description)));
    }

    public static IEnumerable<FieldError> WorkloadText(Workload w, Func<string, string>? name = null)
    {
        name ??= n => n;
        return Errors(
            Length<Workload>(name("name"), w.Name?.Trim(), nameof(Workload.Name)),
            Length<Workload>(name("key"), w.Key?.Trim(), nameof(Workload.Key)),
            Length<Workload>(name("owner"), w.Owner?.Trim(), nameof(Workload.Owner)),
            Length<Workload>(name("environment"), w.Environment?.Trim(), nameof(Workload.Environment)),
            Length<Workload>(name("description"), w.Description, nameof(Workload.Description)));
    }

    /// <summary>A workload owner's email, when given, is one address (restriction and deadline emails go there).</summary>
    public static FieldError? OwnerEmail(string field, string? value) =>
        value is { Length: > 0 } email && !MimeKit.MailboxAddress.TryParse(email.Trim(), out _)
            ? new FieldError(field, "Owner email must be one address, like name@agency.example.gov (restriction emails go there).")
            : Length<Workload>(field, value?.Trim(), nameof(Workload.OwnerEmail));

    public static IEnumerable<FieldError> CustomerText(Customer c) => Errors(
        Length<Customer>("code", c.Code?.Trim(), nameof(Customer.Code)),
        Length<Customer>("name", c.Name?.Trim(), nameof(Customer.Name)),
        Length<Customer>("contactEmail", c.ContactEmail?.Trim(), nameof(Customer.ContactEmail)));

    private static IEnumerable<FieldError> Errors(params FieldError?[] errors) => errors.OfType<FieldError>();
}
