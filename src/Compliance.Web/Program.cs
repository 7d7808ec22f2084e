using Compliance.Web;
using Compliance.Web.Auth;
using Compliance.Web.Data;
using Compliance.Web.Features.Attestations;

var builder = WebApplication.CreateBuilder(args);

builder.AddComplianceLogging();
builder.AddComplianceData();
builder.AddComplianceAuth();
builder.AddComplianceUi();
builder.AddAttestations();

var app = builder.Build();

app.UseComplianceUi();
app.MapComplianceEndpoints();
app.MapAttestationEndpoints();

app.Run();

/// <summary>Visible to the test host (<c>WebApplicationFactory&lt;Program&gt;</c>).</summary>
public partial class Program;
