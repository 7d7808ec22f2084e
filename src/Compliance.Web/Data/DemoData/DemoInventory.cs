using Compliance.Data;
using Compliance.Domain;
using Microsoft.EntityFrameworkCore;
using static Compliance.Web.Data.DemoData.DemoCatalog;

namespace Compliance.Web.Data.DemoData;

/// <summary>
/// Seeds a realistic inventory into an empty database: customers in Defense and other sectors,
/// workloads from IL2 to IL6, real public model ids, approvals, and one vendor restricted for
/// defense work. Dates are relative to the day of seeding so the demo always looks current.
/// </summary>
public static class DemoInventory
{
    public const string Actor = "system:demo-data";
    public const string RestrictedProvider = "Anthropic";

    public static async Task<bool> SeedAsync(ComplianceDb db, ILogger log, CancellationToken ct = default)
    {
        if (await db.Customers.AnyAsync(ct) || await db.Models.AnyAsync(ct))
        {
            return false;
        }

        db.As(Actor, "Demo inventory seeded on first run");
        var today = DateTime.UtcNow.Date;
        var random = new Random(20261125);

        var models = Models.Select(m => new Model
        {
            Provider = m.Provider, HostModelId = m.HostModelId, DisplayName = m.DisplayName, Version = m.Version,
            Hosting = m.Hosting, Region = m.Region,
            DeprecatedOn = m.DeprecatedDaysAgo is { } d ? today.AddDays(-d) : null,
            RetiredOn = m.RetiredDaysAgo is { } r ? today.AddDays(-r) : null,
        }).ToList();
        var customers = Customers.Select(c => new Customer { Code = c.Code, Name = c.Name, Sector = c.Sector, ContactEmail = c.Contact }).ToList();
        db.Models.AddRange(models);
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync(ct);

        var workloads = new List<Workload>();
        foreach (var customer in customers)
        {
            foreach (var name in WorkloadNames)
            {
                var (level, categories) = Profile(customer.Sector, random);
                workloads.Add(new Workload
                {
                    CustomerId = customer.Id, Name = name, ImpactLevel = level, DataCategories = categories,
                    Owner = Owners[random.Next(Owners.Length)], Environment = EnvironmentNames[random.Next(EnvironmentNames.Length)],
                    Description = $"{name} for {customer.Name}",
                });
            }
        }

        db.Workloads.AddRange(workloads);
        await db.SaveChangesAsync(ct);

        var bindings = new List<Binding>();
        foreach (var w in workloads)
        {
            var coding = w.Name is "Code Review Bot" or "Developer Copilot";
            var count = coding ? 1 : 1 + random.Next(3);
            foreach (var model in PickModels(models, w.ImpactLevel, coding, count, random))
            {
                bindings.Add(new Binding
                {
                    ModelId = model.Id, WorkloadId = w.Id,
                    Usage = coding ? Usage.CodingAssistant : random.Next(5) == 0 ? Usage.Agent : Usage.Inference,
                    Purpose = coding ? "AI coding assistant on the workload's repository" : $"{w.Name}: {model.DisplayName}",
                    From = today.AddDays(-30 - random.Next(500)),
                });
            }
        }

        db.Bindings.AddRange(bindings);
        db.Approvals.AddRange(Approvals(models, today));
        db.Restrictions.Add(new Restriction
        {
            Provider = RestrictedProvider, Sectors = Sectors.Defense | Sectors.Intelligence, MinImpactLevel = ImpactLevel.None,
            EffectiveFrom = today.AddDays(-3), TransitionDeadline = today.AddDays(27),
            Reason = "Demo: the contracting office directs that this vendor's models no longer serve defense and intelligence work; move every affected workload to an approved alternative within 30 days.",
            CreatedBy = "admin", CreatedAt = today.AddDays(-3),
        });
        await db.SaveChangesAsync(ct);
        log.LogInformation("Seeded demo inventory: {Customers} customers, {Models} models, {Workloads} workloads, {Bindings} bindings",
            customers.Count, models.Count, workloads.Count, bindings.Count);
        return true;
    }

    private static (ImpactLevel, DataCategories) Profile(Sector sector, Random random)
    {
        ImpactLevel Pick(params ImpactLevel[] levels) => levels[random.Next(levels.Length)];
        return sector switch
        {
            Sector.Defense => (Pick(ImpactLevel.IL2, ImpactLevel.IL4, ImpactLevel.IL5, ImpactLevel.IL5, ImpactLevel.IL6),
                DataCategories.CUI | (random.Next(3) == 0 ? DataCategories.ExportControlled : 0)),
            Sector.Intelligence => (Pick(ImpactLevel.IL5, ImpactLevel.IL6, ImpactLevel.IL6), DataCategories.CUI | DataCategories.ExportControlled),
            Sector.Civilian => (Pick(ImpactLevel.IL2, ImpactLevel.IL4), DataCategories.PII | (random.Next(4) == 0 ? DataCategories.FTI : DataCategories.CUI)),
            Sector.Health => (Pick(ImpactLevel.IL2, ImpactLevel.IL4), DataCategories.PHI | DataCategories.PII),
            Sector.Financial => (ImpactLevel.IL2, DataCategories.PII | (random.Next(2) == 0 ? DataCategories.FTI : 0)),
            _ => (Pick(ImpactLevel.None, ImpactLevel.IL2), random.Next(2) == 0 ? DataCategories.PII : DataCategories.None),
        };
    }

    /// <summary>Mostly the hostings a team would pick for the level, with a few mistakes so the checks have something to find.</summary>
    private static IEnumerable<Model> PickModels(List<Model> models, ImpactLevel level, bool coding, int count, Random random)
    {
        string[] hostings = coding ? [AnthropicApi, SelfHosted]
            : random.Next(12) == 0 ? [Bedrock, Vertex]
            : level switch
            {
                ImpactLevel.IL6 => [SelfHosted, SelfHosted, BedrockGov],
                ImpactLevel.IL5 => [BedrockGov, AzureGov, SelfHosted],
                ImpactLevel.IL4 => [BedrockGov, AzureGov],
                _ => [Bedrock, Vertex, AzureGov],
            };
        var candidates = models.Where(m => hostings.Contains(m.Hosting)).ToList();
        return candidates.OrderBy(_ => random.Next()).Take(count);
    }

    private static IEnumerable<Approval> Approvals(List<Model> models, DateTime today)
    {
        const DataCategories allButExport = DataCategories.CUI | DataCategories.PII | DataCategories.PHI | DataCategories.CJI | DataCategories.FTI;
        foreach (var m in models)
        {
            (ImpactLevel level, DataCategories categories, Usages usages)? scope = m.Hosting switch
            {
                Bedrock or Vertex => (ImpactLevel.IL2, DataCategories.PII | DataCategories.PHI, Usages.Inference | Usages.Agent),
                BedrockGov => (ImpactLevel.IL5, allButExport | DataCategories.ExportControlled, Usages.All),
                AzureGov => (ImpactLevel.IL5, allButExport, Usages.Inference | Usages.Agent),
                SelfHosted => (ImpactLevel.IL6, allButExport | DataCategories.ExportControlled, Usages.All),
                AnthropicApi => (ImpactLevel.IL4, DataCategories.CUI | DataCategories.PII, Usages.CodingAssistant),
                _ => null,
            };
            // A few models have never been approved: bindings to them are findings.
            if (scope is not { } s || m.HostModelId is "ai21.jamba-1-5-large-v1:0" or "Qwen/Qwen2.5-Coder-32B-Instruct")
            {
                continue;
            }

            var approval = new Approval
            {
                ModelId = m.Id, Status = ApprovalStatus.Approved, MaxImpactLevel = s.level, DataCategories = s.categories, Usages = s.usages,
                ValidFrom = today.AddDays(-400), ValidUntil = today.AddDays(330),
                Justification = $"{m.Hosting} authorization package reviewed for {m.DisplayName}.",
                Conditions = s.level >= ImpactLevel.IL5 ? "Only within the accredited enclave; prompts and outputs logged for 1 year." : null,
                RequestedBy = "officer", RequestedAt = today.AddDays(-410), DecidedBy = "admin", DecidedAt = today.AddDays(-401),
                DecisionReason = "Meets the authorization boundary's controls.",
            };
            switch (m.HostModelId)
            {
                case "gpt-4o-mini":
                    approval.ValidUntil = today.AddDays(18); // expiring soon: a warning on the dashboard
                    break;
                case "mistral.mistral-large-2407-v1:0":
                    approval.ValidUntil = today.AddDays(-12); // lapsed: ApprovalExpired
                    break;
                case "o3-mini":
                    approval.Status = ApprovalStatus.Requested; // awaiting a second administrator
                    approval.DecidedBy = null;
                    approval.DecidedAt = null;
                    approval.DecisionReason = null;
                    approval.RequestedAt = today.AddDays(-2);
                    approval.ValidFrom = today;
                    break;
            }

            yield return approval;
        }
    }
}
