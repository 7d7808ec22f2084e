using Compliance.Web.Features.Inventory;

namespace Compliance.Web.Features.Checks;

/// <summary>Every inventory change (pages, API, imports) asks for a check soon; bursts coalesce into one run.</summary>
public sealed class CheckOnInventoryChange(InventoryEvents events, CheckScheduler scheduler) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        events.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        events.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(string what) => scheduler.RequestSoon();
}
