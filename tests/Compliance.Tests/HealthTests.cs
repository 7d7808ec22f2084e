using System.Net;
using Compliance.Tests.Infrastructure;

namespace Compliance.Tests;

public sealed class HealthTests : IClassFixture<ComplianceAppFactory>
{
    private readonly ComplianceAppFactory _app;

    public HealthTests(ComplianceAppFactory app) => _app = app;

    [Fact]
    public async Task Health_answers_200_anonymously_when_the_database_answers()
    {
        using var client = _app.CreateClient();
        var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
