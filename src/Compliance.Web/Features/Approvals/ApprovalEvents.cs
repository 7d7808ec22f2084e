namespace Compliance.Web.Features.Approvals;

/// <summary>Told when approvals or restrictions change (decisions, revocations, expiry, list syncs), so a check can follow soon.</summary>
public interface IApprovalsChanged
{
    /// <summary>Approvals changed; <paramref name="modelId"/> names the one model concerned when there is one.</summary>
    void ApprovalsChanged(int? modelId = null);

    void RestrictionsChanged();
}

/// <summary>
/// Raised after every approval or restriction change. The compliance checks subscribe to schedule a
/// re-check; approvals do not need to know who listens.
/// </summary>
public sealed class ApprovalEvents : IApprovalsChanged
{
    public event Action<string>? Changed;

    /// <summary>One model's approvals changed: its bindings can be re-checked at once.</summary>
    public event Action<int>? ModelChanged;

    public void ApprovalsChanged(int? modelId = null)
    {
        if (modelId is { } id)
        {
            ModelChanged?.Invoke(id);
        }

        Changed?.Invoke("approvals");
    }

    public void RestrictionsChanged() => Changed?.Invoke("restrictions");
}
