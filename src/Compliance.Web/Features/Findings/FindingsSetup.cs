namespace Compliance.Web.Features.Findings;

public static class FindingsSetup
{
    /// <summary>Waivers; findings themselves are written by the check run and read by the pages and the API.</summary>
    public static WebApplicationBuilder AddFindings(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WaiverService>();
        return builder;
    }
}
