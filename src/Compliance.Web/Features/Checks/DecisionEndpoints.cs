using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Checks;

/// <summary>
/// May model M serve workload W? <c>GET /api/v1/decisions?model=&amp;workload=[&amp;usage=]</c> for one question (the
/// workload by id or by its own key, <c>workloadKey=</c>), <c>POST /api/v1/decisions</c> for up to
/// <see cref="MaxQuestions"/> at once: a pipeline gating a release asks once.
/// </summary>
public static class DecisionEndpoints
{
    public const int MaxQuestions = 1000;

    /// <summary>One question of a batch: the model by id or host model id, the workload by id or key.</summary>
    public sealed record Question(string? Model, int? Workload = null, string? WorkloadKey = null, Usage? Usage = null);

    public sealed record Batch(IReadOnlyList<Question>? Questions);

    /// <summary>One answer, in the question's place: the verdict, or why there is none (unknown model or workload).</summary>
    public sealed record Answer(int Index, string? Model, int? Workload, Usage Usage, bool Allowed, IReadOnlyList<DecisionReason> Reasons, string? Error);

    /// <summary><c>Allowed</c> only when every question is answered and allowed: what a release gate needs.</summary>
    public sealed record BatchDecision(bool Allowed, int Denied, int Unanswered, IReadOnlyList<Answer> Answers);

    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/decisions", DecideAsync)
            .WithName("Decide")
            .WithSummary("May the model serve the workload? Allowed, with the reasons, from the same rule the compliance check uses.")
            .RequireAuthorization(Policies.Decide);
        app.MapPost("/api/v1/decisions", DecideBatchAsync)
            .WithName("DecideBatch")
            .WithSummary($"Up to {MaxQuestions} (model, workload, usage) questions in one call; allowed only when every one is.")
            .RequireAuthorization(Policies.Decide);
        // A constant behind the same policy: the load test's limit (scripts/load.sh), so authentication costs the same.
        app.MapGet("/api/v1/ping", () => TypedResults.Ok(Pong))
            .WithName("Ping")
            .WithSummary("A constant answer for the caller's credentials: checks a token works and measures the API's own overhead.")
            .RequireAuthorization(Policies.Decide);
        return app;
    }

    private static readonly Pong Pong = new(true);

    internal static async Task<Results<Ok<Decision>, ProblemHttpResult>> DecideAsync(
        string? model, int? workload, string? workloadKey, Usage? usage, DecisionService decisions, IDbContextFactory<ComplianceDb> f,
        HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(model) || (workload is null == string.IsNullOrWhiteSpace(workloadKey)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "model and one of workload or workloadKey are required",
                detail: "Call /api/v1/decisions?model={model id or host model id}&workload={workload id} (or &workloadKey={the workload's key})[&usage=Inference|Agent|CodingAssistant].");
        }

        var match = await decisions.FindModelAsync(model, ct);
        if (match.Model is null)
        {
            return TypedResults.Problem(statusCode: match.Candidates.Count == 0 ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
                title: match.Candidates.Count == 0 ? "Unknown model" : "Ambiguous model", detail: Unmatched(model, match));
        }

        var id = workload ?? (await WorkloadIdsAsync(f, [workloadKey!], ct)).GetValueOrDefault(workloadKey!.Trim());
        var evaluation = id is { } w ? await decisions.DecideAsync(http.User, match.Model.Id, w, usage ?? Usage.Inference, ct) : null;
        return evaluation is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown workload",
                detail: workload is { } n ? $"No workload has the id {n}." : $"No workload has the key '{workloadKey}'.")
            : TypedResults.Ok(Decision.From(evaluation));
    }

    internal static async Task<Results<Ok<BatchDecision>, ValidationProblem>> DecideBatchAsync(
        Batch body, DecisionService decisions, IDbContextFactory<ComplianceDb> f, HttpContext http, CancellationToken ct)
    {
        var questions = body.Questions ?? [];
        var errors = new Dictionary<string, string[]>();
        if (questions.Count is 0 or > MaxQuestions)
        {
            errors["questions"] = [$"Send between 1 and {MaxQuestions} questions; this batch has {questions.Count}."];
        }

        for (var i = 0; i < questions.Count && errors.Count < 20; i++)
        {
            var q = questions[i];
            if (string.IsNullOrWhiteSpace(q.Model) || (q.Workload is null == string.IsNullOrWhiteSpace(q.WorkloadKey)))
            {
                errors[$"questions[{i}]"] = ["Each question names a model and either a workload id or a workloadKey."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The batch is not valid; no question was answered.");
        }

        var keys = await WorkloadIdsAsync(f, questions.Where(q => q.Workload is null).Select(q => q.WorkloadKey!.Trim()).Distinct().ToList(), ct);
        var answers = new List<Answer>(questions.Count);
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            var usage = q.Usage ?? Usage.Inference;
            var workload = q.Workload ?? keys.GetValueOrDefault(q.WorkloadKey!.Trim());
            var match = await decisions.FindModelAsync(q.Model!, ct);
            var evaluation = match.Model is not null && workload is { } w ? await decisions.DecideAsync(http.User, match.Model.Id, w, usage, ct) : null;
            if (evaluation is null)
            {
                var why = match.Model is null ? Unmatched(q.Model!, match)
                    : q.Workload is { } n ? $"No workload has the id {n}." : $"No workload has the key '{q.WorkloadKey}'.";
                answers.Add(new Answer(i, q.Model, workload, usage, false, [], why));
                continue;
            }

            var decision = Decision.From(evaluation);
            answers.Add(new Answer(i, q.Model, workload, usage, decision.Allowed, decision.Reasons, null));
        }

        var unanswered = answers.Count(a => a.Error is not null);
        var denied = answers.Count(a => a.Error is null && !a.Allowed);
        return TypedResults.Ok(new BatchDecision(unanswered == 0 && denied == 0, denied, unanswered, answers));
    }

    private static string Unmatched(string model, ModelMatch match) => match.Candidates.Count == 0
        ? $"No model has the id or host model id '{model}'."
        : $"'{model}' is offered by {match.Candidates.Count} hostings; name one by its numeric id: "
            + string.Join("; ", match.Candidates.Select(m => $"{m.Id} = {m.Hosting}{(m.Region.Length > 0 ? " " + m.Region : "")}")) + ".";

    /// <summary>Workload ids by key, in one query. A customer's scope is applied by the decision itself (another's is "not found").</summary>
    private static async Task<Dictionary<string, int?>> WorkloadIdsAsync(IDbContextFactory<ComplianceDb> f, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        await using var db = await f.CreateDbContextAsync(ct);
        var trimmed = keys.Select(k => k.Trim()).ToList();
        return await db.Workloads.AsNoTracking().Where(w => w.Key != null && trimmed.Contains(w.Key))
            .ToDictionaryAsync(w => w.Key!, w => (int?)w.Id, ct);
    }
}

/// <summary>The constant answer of <c>GET /api/v1/ping</c>.</summary>
public sealed record Pong(bool Ok);
