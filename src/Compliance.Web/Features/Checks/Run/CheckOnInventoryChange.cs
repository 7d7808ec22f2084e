using Compliance.Web.Features.Approvals;
using Compliance.Web.Features.Inventory;

namespace Compliance.Web.Features.Checks.Run;

/// <summary>
/// Every change to the inventory, approvals or restrictions (pages, API, imports, list syncs, expiry)
/// asks for a check soon; bursts coalesce into one run.
/// </summary>
/// <remarks>
/// A decision on one model's approval also re-checks that model's bindings at once (about 0.1 s), so its
/// findings and the decision API agree within the DESIGN.md re-check target; the full run follows as the safety net.
/// </remarks>
public sealed class CheckOnInventoryChange(
    InventoryEvents inventory, ApprovalEvents approvals, CheckScheduler scheduler, CheckRunner runner, ILogger<CheckOnInventoryChange> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        inventory.Changed += OnChanged;
        approvals.Changed += OnChanged;
        approvals.ModelChanged += OnModelChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        inventory.Changed -= OnChanged;
        approvals.Changed -= OnChanged;
        approvals.ModelChanged -= OnModelChanged;
        return Task.CompletedTask;
    }

    private void OnModelChanged(int modelId) => _ = Task.Run(async () =>
    {
        try
        {
            await runner.RunForModelAsync(modelId, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The full check requested alongside covers these bindings too.
            log.LogWarning(e, "Re-checking the bindings of model {Model} failed; the next full check covers them", modelId);
        }
    });

    private void OnChanged(string what) => scheduler.RequestSoon();
}
