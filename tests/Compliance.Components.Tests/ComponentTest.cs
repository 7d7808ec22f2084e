using Compliance.Data;
using Compliance.Tests.Infrastructure;
using Compliance.Web.Auth;
using Compliance.Web.Features.Inventory;
using Compliance.Web.Features.Inventory.Import;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Compliance.Web.Features.Checks.Run;

namespace Compliance.Components.Tests;

/// <summary>A bUnit context with MudBlazor, the inventory services and a real demo database, signed in as an officer.</summary>
public abstract class ComponentTest : IAsyncLifetime
{
    protected BunitContext Context { get; } = new();

    protected TestDatabase Database { get; } = new();

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Database.SeedDemoAsync();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddSingleton(Database.Factory);
        Context.Services.AddSingleton<IDbContextFactory<ComplianceDb>>(Database.Factory);
        Context.Services.AddSingleton(TimeProvider.System);
        Context.Services.AddSingleton<Compliance.Web.Auth.PeopleDirectory>();
        Context.Services.AddSingleton<InventoryEvents>();
        Context.Services.AddSingleton<IInventoryChanged>(sp => sp.GetRequiredService<InventoryEvents>());
        Context.Services.AddSingleton<InventoryService>();
        Context.Services.AddSingleton<CsvImporter>();
        Context.Services.AddSingleton<JobStorage>(_ => new SQLiteStorage(Path.Combine(Database.Folder, "hangfire.db"), new SQLiteStorageOptions()));
        Context.Services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>()));
        Context.Services.AddOptions<CheckOptions>();
        Context.Services.AddSingleton<ReferenceDataCache>();
        Context.Services.AddSingleton<CheckScheduler>();
        Context.Services.AddSingleton<Compliance.Web.Features.Dashboard.PostureCache>();
        Context.Services.AddSingleton(_ => new Compliance.Web.Features.Dashboard.PostureRollup(
            Database.Factory, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Compliance.Web.Features.Dashboard.PostureRollup>.Instance));
        Context.Services.AddSingleton<Compliance.Web.Features.Dashboard.PostureTrends>();
        Context.Services.AddSingleton<Compliance.Web.Features.Findings.WaiverService>();
        Context.Services.AddSingleton<Compliance.Web.Features.Transitions.TransitionService>();
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("officer");
        auth.SetRoles(Roles.ComplianceOfficer);  // SetRoles resets the claims: set them after
        auth.SetClaims(new System.Security.Claims.Claim("sub", "officer"));
        auth.SetPolicies(Policies.AnyRole, Policies.Staff, Policies.Officer);
    }

    /// <summary>Renders a page inside the providers a MudBlazor layout would give it.</summary>
    protected IRenderedComponent<MudPopoverProvider> RenderProviders() => Context.Render<MudPopoverProvider>();

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        await Database.DisposeAsync();
    }
}
