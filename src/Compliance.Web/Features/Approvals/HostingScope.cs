using Compliance.Data;
using Microsoft.EntityFrameworkCore;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Approvals;

/// <summary>
/// The hostings a restriction or approval is limited to, as the inventory's models name them ("AWS Bedrock" vs
/// "AWS Bedrock GovCloud"). A misspelt hosting would silently match nothing, so each must be one the inventory has.
/// </summary>
public static class HostingScope
{
    public const int MaxLength = 100;

    /// <summary>Trims, de-duplicates and spells each hosting as the inventory does; unknown ones become a "hostings" error.</summary>
    public static async Task<List<string>> NormalizeAsync(ComplianceDb db, IReadOnlyList<string>? hostings, List<FieldError> errors, CancellationToken ct)
    {
        var wanted = (hostings ?? []).Select(h => h?.Trim() ?? "").Where(h => h.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        var known = await db.Models.Select(m => m.Hosting).Distinct().ToListAsync(ct);
        var result = new List<string>();
        foreach (var h in wanted)
        {
            if (known.FirstOrDefault(k => string.Equals(k, h, StringComparison.OrdinalIgnoreCase)) is { } spelt)
            {
                result.Add(spelt);
            }
            else
            {
                errors.Add(new FieldError("hostings", $"No model in the inventory is hosted on '{h}'; known hostings: {string.Join(", ", known.Order(StringComparer.Ordinal))}."));
            }
        }

        return [.. result.Order(StringComparer.Ordinal)];
    }
}
