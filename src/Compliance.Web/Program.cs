using Compliance.Web;
using Compliance.Web.Auth;
using Compliance.Web.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddComplianceLogging();
builder.AddComplianceData();
builder.AddComplianceAuth();
builder.AddComplianceUi();

var app = builder.Build();

app.UseComplianceUi();
app.MapComplianceEndpoints();
app.MapComplianceAuth();

app.Run();

/// <summary>Visible to the test host (<c>WebApplicationFactory&lt;Program&gt;</c>).</summary>
public partial class Program;
