namespace Compliance.Web.Data.DemoData;

/// <summary><c>DemoData:Enabled</c>: seed the demo inventory into an empty database.</summary>
public sealed class DemoDataOptions
{
    public bool Enabled { get; set; }
}
