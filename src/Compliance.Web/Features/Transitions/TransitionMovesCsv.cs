using System.Globalization;
using Compliance.Web.Features.Inventory.Import;
using Compliance.Web.Shared;

namespace Compliance.Web.Features.Transitions;

/// <summary>
/// A CSV of moves that teams made: <c>plan_id</c> (required) and <c>moved_on</c> (YYYY-MM-DD, optional: today). Read whole
/// before anything is completed; each problem names its row and column.
/// </summary>
public static class TransitionMovesCsv
{
    public const string Header = "plan_id,moved_on";

    public static (IReadOnlyList<PlanMove> Moves, IReadOnlyList<FieldError> Errors) Read(byte[] content, string fileName)
    {
        var errors = new List<FieldError>();
        var moves = new List<PlanMove>();
        string text;
        try
        {
            text = Csv.DecodeUtf8(content, fileName);
        }
        catch (ImportException e)
        {
            return ([], [new FieldError("file", e.Error.Message)]);
        }

        int plan = -1, movedOn = -1;
        foreach (var row in Csv.Parse(text))
        {
            if (plan < 0 && movedOn < 0 && moves.Count == 0 && errors.Count == 0)
            {
                var columns = row.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
                plan = columns.IndexOf("plan_id");
                movedOn = columns.IndexOf("moved_on");
                if (plan < 0)
                {
                    return ([], [new FieldError("row 1: plan_id", $"The header names no plan_id column; the file starts with the header '{Header}'.")]);
                }

                continue;
            }

            if (row.Fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var where = $"row {row.Number}";
            var id = plan < row.Fields.Length ? row.Fields[plan].Trim() : "";
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var planId) || planId <= 0)
            {
                errors.Add(new FieldError($"{where}: plan_id", $"'{id}' is not a transition plan number."));
                continue;
            }

            DateTime? on = null;
            var date = movedOn >= 0 && movedOn < row.Fields.Length ? row.Fields[movedOn].Trim() : "";
            if (date.Length > 0)
            {
                if (!DateTime.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
                {
                    errors.Add(new FieldError($"{where}: moved_on", $"'{date}' is not a date (YYYY-MM-DD)."));
                    continue;
                }

                on = DateTime.SpecifyKind(d, DateTimeKind.Utc);
            }

            moves.Add(new PlanMove(where, planId, on));
        }

        if (plan < 0)
        {
            errors.Add(new FieldError("file", $"The file is empty; it starts with the header '{Header}'."));
        }

        return (moves, errors);
    }
}
