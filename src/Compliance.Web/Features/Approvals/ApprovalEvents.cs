namespace Compliance.Web.Features.Approvals;

/// <summary>Told when approvals or restrictions change (decisions, revocations, expiry, list syncs), so a check can follow soon.</summary>
public interface IApprovalsChanged
{
    void ApprovalsChanged();

    void RestrictionsChanged();
}

/// <summary>
/// Raised after every approval or restriction change. The compliance checks subscribe to schedule a
/// re-check; approvals do not need to know who listens.
/// </summary>
public sealed class ApprovalEvents : IApprovalsChanged
{
    public event Action<string>? Changed;

    public void ApprovalsChanged() => Changed?.Invoke("approvals");

    public void RestrictionsChanged() => Changed?.Invoke("restrictions");
}
