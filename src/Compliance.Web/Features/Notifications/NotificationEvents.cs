

namespace Compliance.Web.Features.Notifications;

/// <summary>
/// The event types the app publishes (webhook <c>type</c>, <c>X-Compliance-Event</c> header). A feature announces one
/// with <see cref="INotificationPublisher.Publish(string, object)"/> and one of these names; receivers subscribe by name.
/// </summary>
public static class NotificationEvents
{
    public const string FindingOpened = "finding.opened";
    public const string FindingResolved = "finding.resolved";

    /// <summary>The first event type: new Critical findings of a run (kept for existing receivers).</summary>
    public const string CriticalFindingOpened = "finding.critical.opened";

    public const string RestrictionCreated = "restriction.created";
    public const string RestrictionDeadlineApproaching = "restriction.deadline.approaching";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecided = "approval.decided";
    public const string TransitionPlanOverdue = "transition.plan.overdue";
    public const string AttestationIssued = "attestation.issued";
    public const string AttestationStale = "attestation.stale";
    public const string ApprovalListSyncChanged = "approval-list.sync.changed";
    public const string ApprovalListSyncFailed = "approval-list.sync.failed";
    public const string CheckRunFailed = "check-run.failed";

    /// <summary>Sent only by the "send test event" button, to that one webhook.</summary>
    public const string WebhookTest = "webhook.test";

    /// <summary>Every type a webhook can subscribe to, with what it announces (the UI's choices, the docs' table).</summary>
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        [FindingOpened] = "a check run opened findings",
        [FindingResolved] = "a check run resolved findings",
        [CriticalFindingOpened] = "a check run opened Critical findings",
        [RestrictionCreated] = "an administrator restricted a model or provider",
        [RestrictionDeadlineApproaching] = "a restriction's transition deadline is near with bindings still to move",
        [ApprovalRequested] = "an approval waits for a second administrator",
        [ApprovalDecided] = "an approval was approved or rejected",
        [TransitionPlanOverdue] = "a transition plan passed its target date undone",
        [AttestationIssued] = "an attestation was issued",
        [AttestationStale] = "an attestation no longer matches the inventory",
        [ApprovalListSyncChanged] = "an approval-list sync changed approvals or restrictions",
        [ApprovalListSyncFailed] = "an approval-list sync failed",
        [CheckRunFailed] = "a check run failed",
    };
}
