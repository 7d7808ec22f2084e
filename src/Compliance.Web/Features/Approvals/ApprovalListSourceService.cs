using System.Security.Claims;
using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Compliance.Web.Features.Inventory;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Approvals;

/// <summary>A source as an administrator enters it: a URL or an uploaded file, and a cron schedule.</summary>
public sealed record ApprovalListSourceInput(string Name, ApprovalListFormat Format, string? Url, byte[]? UploadedContent, string Schedule, bool Enabled = true);

/// <summary>Adds and changes approval list sources (administrators) and keeps their schedules in step.</summary>
public sealed class ApprovalListSourceService(IDbContextFactory<ComplianceDb> factory, IApprovalListScheduler scheduler)
{
    public async Task<Outcome<ApprovalListSource>> CreateAsync(ClaimsPrincipal by, ApprovalListSourceInput input, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var errors = await ValidateAsync(db, by, input, null, ct);
        if (errors.Count > 0)
        {
            return Outcome<ApprovalListSource>.Invalid([.. errors]);
        }

        var source = new ApprovalListSource { Name = input.Name.Trim(), CreatedBy = by.ActorName() };
        Fill(source, input);
        db.As(source.CreatedBy, $"Added approval list source '{source.Name}'").ApprovalListSources.Add(source);
        await db.SaveChangesAsync(ct);
        Reschedule(source);
        scheduler.TriggerNow(source.Id);
        return Outcome<ApprovalListSource>.Ok(source);
    }

    public async Task<Outcome<ApprovalListSource>> UpdateAsync(ClaimsPrincipal by, int id, ApprovalListSourceInput input, int expectedVersion, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var source = await db.ApprovalListSources.FindAsync([id], ct);
        if (source is null)
        {
            return Outcome<ApprovalListSource>.Missing($"There is no approval list source {id}.");
        }

        var errors = await ValidateAsync(db, by, input, id, ct);
        if (source.Version != expectedVersion)
        {
            errors.Add(new FieldError("version", "The source was changed or synced meanwhile; reload it and edit again."));
        }

        if (errors.Count > 0)
        {
            return Outcome<ApprovalListSource>.Invalid([.. errors]);
        }

        var contentChanged = input.Url != source.Url || (input.UploadedContent is not null);
        source.Name = input.Name.Trim();
        Fill(source, input);
        if (contentChanged)
        {
            source.ETag = null; // a new address or file is fetched in full
        }

        try
        {
            await db.As(by.ActorName(), $"Changed approval list source '{source.Name}'").SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<ApprovalListSource>.Invalid(new FieldError("version", "The source was changed or synced meanwhile; reload it and edit again."));
        }

        Reschedule(source);
        if (contentChanged)
        {
            scheduler.TriggerNow(source.Id);
        }

        return Outcome<ApprovalListSource>.Ok(source);
    }

    /// <summary>Queues a sync of the source now (administrators).</summary>
    public async Task<Outcome<bool>> SyncNowAsync(ClaimsPrincipal by, int id, CancellationToken ct = default)
    {
        if (!by.IsInRole(Roles.Administrator))
        {
            return Outcome<bool>.Invalid(new FieldError("by", "Only an administrator may sync an approval list."));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.ApprovalListSources.AnyAsync(s => s.Id == id, ct))
        {
            return Outcome<bool>.Missing($"There is no approval list source {id}.");
        }

        scheduler.TriggerNow(id);
        return Outcome<bool>.Ok(true);
    }

    private void Reschedule(ApprovalListSource source)
    {
        if (source.Enabled && source.Url is not null)
        {
            scheduler.AddOrUpdate(source.Id, source.Schedule);
        }
        else
        {
            scheduler.Remove(source.Id);
        }
    }

    private static void Fill(ApprovalListSource source, ApprovalListSourceInput input)
    {
        source.Format = input.Format;
        source.Schedule = input.Schedule.Trim();
        source.Enabled = input.Enabled;
        if (!string.IsNullOrWhiteSpace(input.Url))
        {
            source.Url = input.Url.Trim();
            source.UploadedContent = null;
        }
        else if (input.UploadedContent is not null)
        {
            source.Url = null;
            source.UploadedContent = input.UploadedContent;
        }
    }

    private static async Task<List<FieldError>> ValidateAsync(ComplianceDb db, ClaimsPrincipal by, ApprovalListSourceInput input, int? id, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (!by.IsInRole(Roles.Administrator))
        {
            errors.Add(new FieldError("by", "Only an administrator may manage approval list sources."));
            return errors;
        }

        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors.Add(new FieldError("name", "Enter a name; entries from the list say where they came from by it."));
        }
        else if (input.Name.Trim().Length > 100)
        {
            errors.Add(new FieldError("name", "Keep the name under 100 characters."));
        }
        else if (await db.ApprovalListSources.AnyAsync(s => s.Name == input.Name.Trim() && s.Id != id, ct))
        {
            errors.Add(new FieldError("name", $"There is already a source named '{input.Name.Trim()}'."));
        }

        if (!Enum.IsDefined(input.Format))
        {
            errors.Add(new FieldError("format", "Choose JSON or CSV."));
        }

        var hasUrl = !string.IsNullOrWhiteSpace(input.Url);
        if (hasUrl && input.UploadedContent is not null)
        {
            errors.Add(new FieldError("url", "Give either a URL or a file, not both."));
        }
        else if (hasUrl && (!Uri.TryCreate(input.Url!.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add(new FieldError("url", "Enter an http:// or https:// address."));
        }
        else if (!hasUrl && input.UploadedContent is null && id is null)
        {
            errors.Add(new FieldError("url", "Enter the list's URL or upload the file."));
        }

        if (input.UploadedContent is { Length: > ApprovalListSyncJob.MaxBytes })
        {
            errors.Add(new FieldError("file", $"The file is larger than the limit of {ApprovalListSyncJob.MaxBytes:N0} bytes (5 MB)."));
        }

        if (!IsCron(input.Schedule))
        {
            errors.Add(new FieldError("schedule", "Enter a cron expression of five fields (minute hour day month weekday), e.g. 0 * * * * for hourly."));
        }

        return errors;
    }

    private static readonly (int Min, int Max)[] CronRanges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>
    /// A cron expression as Hangfire reads it: five fields (minute hour day month weekday) or six with
    /// seconds first; each field <c>*</c>, values, ranges, lists and steps within the field's range.
    /// </summary>
    public static bool IsCron(string? text)
    {
        var parts = text?.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (parts.Length is not (5 or 6))
        {
            return false;
        }

        var ranges = parts.Length == 6 ? [(0, 59), .. CronRanges] : CronRanges;
        for (var i = 0; i < parts.Length; i++)
        {
            var names = ranges.Length - i == 2 ? Months : ranges.Length - i == 1 ? Days : null;
            if (!parts[i].Split(',').All(item => IsCronItem(item, ranges[i], names)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCronItem(string item, (int Min, int Max) range, string[]? names)
    {
        var slash = item.Split('/');
        if (slash.Length > 2 || (slash.Length == 2 && !(int.TryParse(slash[1], out var step) && step > 0 && step <= range.Max)))
        {
            return false;
        }

        var body = slash[0];
        if (body is "*" or "?")
        {
            return true;
        }

        var bounds = body.Split('-');
        return bounds.Length is 1 or 2 && bounds.All(b => CronValue(b, range, names) is not null)
            && (bounds.Length == 1 || CronValue(bounds[0], range, names) <= CronValue(bounds[1], range, names));
    }

    private static int? CronValue(string text, (int Min, int Max) range, string[]? names)
    {
        if (int.TryParse(text, out var n))
        {
            return n >= range.Min && n <= range.Max ? n : null;
        }

        var index = names is null ? -1 : Array.FindIndex(names, x => string.Equals(x, text, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? null : index + (names == Months ? 1 : 0);
    }
}
