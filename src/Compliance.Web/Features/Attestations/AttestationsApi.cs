using Compliance.Data;
using Compliance.Domain;
using Compliance.Web.Api;
using Compliance.Web.Auth;
using Compliance.Web.Shared;
using Microsoft.EntityFrameworkCore;

namespace Compliance.Web.Features.Attestations;

/// <summary>
/// Issuing and withdrawing attestations through the API: compliance officers only (the same service and rules as the
/// attestations page). Reading them (list, snapshot, PDF, diff) is the customer API's (<c>Portal/CustomerApi</c>).
/// </summary>
public static class AttestationsApi
{
    public sealed record NewAttestation(string Customer, string? Statement);

    public sealed record Withdrawal(string Reason);

    public static WebApplication MapAttestationsApi(this WebApplication app)
    {
        var write = app.MapGroup(ApiSetup.Prefix).WithTags("Attestations").RequireAuthorization(Policies.Officer);

        write.MapPost("/attestations", async (NewAttestation body, AttestationService service, IDbContextFactory<ComplianceDb> f, HttpContext http,
            CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.Customer))
            {
                return ApiSetup.Problem(Outcome<bool>.Invalid(new FieldError("customer", "Name the customer by its code.")));
            }

            int? customerId;
            await using (var db = await f.CreateDbContextAsync(ct))
            {
                customerId = await db.Customers.Where(c => c.Code == body.Customer).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
            }

            if (customerId is null)
            {
                return ApiPages.NotFound($"There is no customer {body.Customer}.");
            }

            var outcome = await service.IssueAsync(http.User, customerId.Value, body.Statement, ct);
            if (!outcome.Succeeded)
            {
                return ApiSetup.Problem(outcome);
            }

            var issued = ApiAttestation.Of(outcome.Value!, service);
            return Results.Created(issued.Snapshot, issued);
        }).WithName("IssueAttestation").WithIdempotencyKey()
            .WithSummary("Issue a signed attestation for a customer, evaluated at issue (compliance officers).");

        write.MapPost("/attestations/{id:int}/withdraw", async (int id, Withdrawal body, AttestationService service, HttpContext http, CancellationToken ct) =>
        {
            var outcome = await service.WithdrawAsync(http.User, id, body.Reason, ct);
            return outcome.Succeeded ? Results.NoContent() : ApiSetup.Problem(outcome);
        }).WithName("WithdrawAttestation").WithSummary("Withdraw an attestation with a reason (compliance officers); its content stays as issued.");

        return app;
    }
}

/// <summary>An attestation as the API lists it; <see cref="Standing"/> says in words whether its statement still holds.</summary>
public sealed record ApiAttestation(
    int Id, string Customer, string VerificationCode, DateTime IssuedAt, DateTime AsOf, string IssuedBy, AttestationStatus Status,
    string Standing, string StandingDetail, DateTime? StaleSince, string? StaleReason, int? SupersededById, string PdfSha256,
    bool IsDevelopmentCopy, string Snapshot, string Pdf, string Verify)
{
    /// <summary>The one API shape of an attestation: listed, fetched and answered when issued alike.</summary>
    public static ApiAttestation Of(AttestationRow r, AttestationService service) =>
        new(r.Id, r.CustomerCode, r.VerificationCode, r.IssuedAt, r.AsOf, r.IssuedBy, r.Status, r.Standing.Headline, r.Standing.Detail,
            r.StaleSince, r.StaleReason, r.SupersededById, r.PdfSha256, r.IsDevelopmentCopy,
            $"{ApiSetup.Prefix}/attestations/{r.Id}", $"{ApiSetup.Prefix}/attestations/{r.Id}/pdf", service.VerifyUrl(r.VerificationCode));
}
