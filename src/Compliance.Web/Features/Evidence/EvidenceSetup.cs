namespace Compliance.Web.Features.Evidence;

public static class EvidenceSetup
{
    /// <summary>Evidence packages for auditors (officers and auditors download them).</summary>
    public static WebApplicationBuilder AddEvidence(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EvidencePackageService>();
        return builder;
    }
}
