namespace Compliance.Web.Features.Inventory;

/// <summary>
/// Raised after every inventory change. The compliance checks subscribe to schedule a re-check;
/// the inventory does not need to know who listens.
/// </summary>
public sealed class InventoryEvents : IInventoryChanged
{
    public event Action<string>? Changed;

    public void BindingsChanged() => Changed?.Invoke("bindings");

    public void ModelsChanged() => Changed?.Invoke("models");
}
