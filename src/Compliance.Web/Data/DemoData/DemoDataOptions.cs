namespace Compliance.Web.Data.DemoData;

/// <summary><c>DemoData:Enabled</c>: seed the demo inventory into an empty database.</summary>
public sealed class DemoDataOptions
{
    public bool Enabled { get; set; }

    /// <summary>
    /// <c>DemoData:Attestations</c>: with the demo inventory, issue one signed attestation per customer on first run
    /// (through the real service), so the customer portal is never empty. Default true.
    /// </summary>
    public bool Attestations { get; set; } = true;
}
