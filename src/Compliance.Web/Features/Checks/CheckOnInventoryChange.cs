using Compliance.Web.Features.Approvals;
using Compliance.Web.Features.Inventory;

namespace Compliance.Web.Features.Checks;

/// <summary>
/// Every change to the inventory, approvals or restrictions (pages, API, imports, list syncs, expiry)
/// asks for a check soon; bursts coalesce into one run.
/// </summary>
public sealed class CheckOnInventoryChange(InventoryEvents inventory, ApprovalEvents approvals, CheckScheduler scheduler) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        inventory.Changed += OnChanged;
        approvals.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        inventory.Changed -= OnChanged;
        approvals.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(string what) => scheduler.RequestSoon();
}
