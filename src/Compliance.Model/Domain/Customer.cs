namespace Compliance.Domain;

/// <summary>An organisation served. <see cref="Code"/> is what the identity provider's customer claim carries.</summary>
public class Customer
{
    public int Id { get; set; }

    public required string Code { get; set; }

    public required string Name { get; set; }

    public Sector Sector { get; set; }

    public string? ContactEmail { get; set; }
}
