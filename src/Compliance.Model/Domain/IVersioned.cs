namespace Compliance.Domain;

/// <summary>
/// Entities edited by people concurrently carry a version checked on update (optimistic concurrency).
/// A plain counter, not SQL Server rowversion, so both providers behave the same.
/// </summary>
public interface IVersioned
{
    int Version { get; set; }
}
