using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Compliance.Data.Configurations;

/// <summary>
/// Columns that copy another table's attributes and are kept in step by database triggers (created in each
/// provider's migration). The app never writes them, and the audit trail leaves them out: they are derived, and a
/// customer's rename would otherwise add an audit event for each of its bindings.
/// </summary>
public static class DatabaseCopies
{
    private const string Annotation = "Compliance:DatabaseCopy";

    /// <summary>Triggers that maintain <see cref="Domain.Binding"/>'s copies (EF Core must know a table has triggers).</summary>
    public static class Triggers
    {
        public const string BindingInserted = "TR_Bindings_Copies_Insert";
        public const string BindingReassigned = "TR_Bindings_Copies_Update";
        public const string WorkloadChanged = "TR_Workloads_Copies_Update";
        public const string CustomerRenamed = "TR_Customers_Copies_Update";
        public const string ModelRenamed = "TR_Models_Copies_Update";
    }

    public static PropertyBuilder<T> IsDatabaseCopy<T>(this PropertyBuilder<T> property)
    {
        property.HasAnnotation(Annotation, true);
        property.Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
        property.Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        return property;
    }

    public static bool IsDatabaseCopy(this IReadOnlyProperty property) => property.FindAnnotation(Annotation)?.Value is true;
}
