using Compliance.Web;
using Compliance.Web.Api;
using Compliance.Web.Auth;
using Compliance.Web.Data;
using Compliance.Web.Features.Approvals;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Checks;
using Compliance.Web.Features.Findings;
using Compliance.Web.Features.Notifications;
using Compliance.Web.Features.Transitions;
using Compliance.Web.Features.Dashboard;
using Compliance.Web.Jobs;
using Compliance.Web.Jobs.Outbound;
using Compliance.Web.Features.Attestations;
using Compliance.Web.Features.Audit;
using Compliance.Web.Features.Portal;
using Compliance.Web.Features.Evidence;

var builder = WebApplication.CreateBuilder(args);

builder.AddComplianceLogging();
builder.AddComplianceData();
builder.AddComplianceAuth();
builder.AddEdgeProtection();
builder.AddComplianceUi();
builder.AddComplianceApi();
builder.AddInventory();
builder.AddComplianceChecks();
builder.AddFindings();
builder.AddTransitions();
builder.AddDashboard();
builder.AddOutboundRequests();
builder.AddNotifications();
builder.AddComplianceJobs();
builder.AddAttestations();
builder.AddPortal();
builder.AddApprovals();
builder.AddAudit();
builder.AddEvidence();

var app = builder.Build();

app.UseComplianceUi();
app.MapComplianceEndpoints();
app.MapComplianceAuth();
app.MapComplianceApi();
app.MapInventoryApi();
app.MapInventoryTransferApi();
app.MapFindingsApi();
app.MapApprovalsApi();
app.MapTransitionsApi();
app.MapAuditApi();
app.MapInventoryExport();
app.UseComplianceJobs();
app.MapDecisionEndpoints();
app.MapAttestationEndpoints();
app.MapAttestationsApi();
app.MapCustomerApi();
app.MapEvidenceEndpoints();

app.Run();

/// <summary>Visible to the test host (<c>WebApplicationFactory&lt;Program&gt;</c>).</summary>
public partial class Program;
