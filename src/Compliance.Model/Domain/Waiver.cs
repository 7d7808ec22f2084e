using System.Linq.Expressions;

namespace Compliance.Domain;

/// <summary>A compliance officer accepts a finding until a date. An expired waiver re-opens it.</summary>
public class Waiver : IVersioned
{
    public int Id { get; set; }

    public long FindingId { get; set; }

    public Finding? Finding { get; set; }

    public required string Justification { get; set; }

    public required string GrantedBy { get; set; }

    public DateTime GrantedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public int Version { get; set; }

    /// <summary>
    /// "In force at" written once: queries use <see cref="InForceAt"/>, objects <see cref="IsInForceAt"/>, both from this
    /// expression. The check's SQL form (<c>CheckStore.WaiverInForce</c>) adds the restriction's deadline.
    /// </summary>
    private static readonly Expression<Func<Waiver, DateTime, bool>> InForce =
        (w, at) => w.GrantedAt <= at && at < w.ExpiresAt && (w.RevokedAt == null || at < w.RevokedAt);

    private static readonly Func<Waiver, DateTime, bool> IsInForce = InForce.Compile();

    public bool IsInForceAt(DateTime at) => IsInForce(this, at);

    /// <summary>The same rule for a query; the time is sent as a parameter, not inlined into the SQL.</summary>
    public static Expression<Func<Waiver, bool>> InForceAt(DateTime at)
    {
        var time = Expression.Property(Expression.Constant(new Moment(at)), nameof(Moment.At));
        return Expression.Lambda<Func<Waiver, bool>>(new Substitute(InForce.Parameters[1], time).Visit(InForce.Body), InForce.Parameters[0]);
    }

    private sealed record Moment(DateTime At);

    private sealed class Substitute(ParameterExpression parameter, Expression with) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? with : node;
    }
}
