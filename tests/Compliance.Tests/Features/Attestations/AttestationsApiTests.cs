using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;

namespace Compliance.Tests.Features.Attestations;

/// <summary>Issuing and withdrawing attestations through <c>/api/v1</c>: officers only, the same rules as the page.</summary>
public sealed class AttestationsApiTests(ApiAppFactory app) : IClassFixture<ApiAppFactory>
{
    private HttpClient Officer => app.As("officer-1", Roles.ComplianceOfficer);

    [Fact]
    public async Task An_officer_issues_a_signed_attestation_that_the_api_then_serves_and_withdraws_it_with_a_reason()
    {
        using var officer = Officer;
        var issued = await officer.PostAsJsonAsync("/api/v1/attestations", new { customer = "globex", statement = "Quarterly review." });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var body = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt32();
        Assert.Equal("globex", body.GetProperty("customer").GetString());
        Assert.Equal("officer-1", body.GetProperty("issuedBy").GetString());
        Assert.Equal($"/api/v1/attestations/{id}", issued.Headers.Location!.OriginalString);

        var pdf = await officer.GetByteArrayAsync(body.GetProperty("pdf").GetString());
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);

        var unexplained = await officer.PostAsJsonAsync($"/api/v1/attestations/{id}/withdraw", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, unexplained.StatusCode);
        Assert.True((await unexplained.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));

        var withdrawn = await officer.PostAsJsonAsync($"/api/v1/attestations/{id}/withdraw", new { reason = "Issued against the wrong period." });
        Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);
        var listed = await officer.GetFromJsonAsync<JsonElement>("/api/v1/attestations?customer=globex&limit=200");
        var row = listed.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetInt32() == id);
        Assert.Equal("Withdrawn", row.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(Roles.Administrator)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Pipeline)]
    [InlineData(Roles.Customer)]
    [InlineData(Roles.Customer, Roles.ComplianceOfficer)]
    public async Task Only_an_officer_acting_for_no_customer_may_issue_or_withdraw(params string[] roles)
    {
        using var other = app.As("someone", roles);
        var before = await CountAsync("acme");

        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/v1/attestations", new { customer = "acme" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/v1/attestations/1/withdraw", new { reason = "x" })).StatusCode);
        Assert.Equal(before, await CountAsync("acme"));
    }

    [Fact]
    public async Task A_missing_or_unknown_customer_is_named_and_nothing_is_issued()
    {
        using var officer = Officer;
        var blank = await officer.PostAsJsonAsync("/api/v1/attestations", new { customer = "" });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.True((await blank.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("customer", out _));

        var unknown = await officer.PostAsJsonAsync("/api/v1/attestations", new { customer = "no-such-customer" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);

        Assert.Equal(HttpStatusCode.NotFound, (await officer.PostAsJsonAsync("/api/v1/attestations/987654/withdraw", new { reason = "x" })).StatusCode);
    }

    [Fact]
    public async Task A_retried_issue_with_the_same_idempotency_key_issues_one_attestation()
    {
        using var officer = Officer;
        var before = await CountAsync("initech");
        var key = Guid.NewGuid().ToString();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/attestations") { Content = JsonContent.Create(new { customer = "initech" }) };
            request.Headers.Add("Idempotency-Key", key);
            Assert.Equal(HttpStatusCode.Created, (await officer.SendAsync(request)).StatusCode);
        }

        Assert.Equal(before + 1, await CountAsync("initech"));
    }

    private async Task<int> CountAsync(string customer)
    {
        using var officer = Officer;
        var page = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/attestations?customer={customer}&limit=200");
        return page.GetProperty("items").GetArrayLength();
    }
}
