namespace Compliance.Domain;

/// <summary>DoD cloud impact levels. IL1 and IL3 are retired; the numeric values keep the order comparable.</summary>
public enum ImpactLevel
{
    None = 0,
    IL2 = 2,
    IL4 = 4,
    IL5 = 5,
    IL6 = 6,
}

/// <summary>Sensitive data categories a workload handles; a set, stored as bit flags.</summary>
[Flags]
public enum DataCategories
{
    None = 0,
    CUI = 1,
    ExportControlled = 2,
    PHI = 4,
    PII = 8,
    CJI = 16,
    FTI = 32,
}

/// <summary>How a model reaches a workload.</summary>
public enum Usage
{
    Inference = 1,
    Agent = 2,
    CodingAssistant = 4,
}

/// <summary>A set of <see cref="Usage"/> values, as approvals grant them.</summary>
[Flags]
public enum Usages
{
    None = 0,
    Inference = Usage.Inference,
    Agent = Usage.Agent,
    CodingAssistant = Usage.CodingAssistant,
    All = Inference | Agent | CodingAssistant,
}

public enum Sector
{
    Defense = 1,
    Intelligence = 2,
    Civilian = 3,
    Health = 4,
    Financial = 5,
    Commercial = 6,
}

/// <summary>A set of sectors, as approval and restriction scopes name them. <see cref="None"/> means "any sector".</summary>
[Flags]
public enum Sectors
{
    None = 0,
    Defense = 1 << Sector.Defense,
    Intelligence = 1 << Sector.Intelligence,
    Civilian = 1 << Sector.Civilian,
    Health = 1 << Sector.Health,
    Financial = 1 << Sector.Financial,
    Commercial = 1 << Sector.Commercial,
}

public enum ModelLifecycle
{
    Active,
    Deprecated,
    Retired,
}

public enum ApprovalStatus
{
    Requested,
    Approved,
    Rejected,
    Revoked,
    Expired,
}

public enum FindingRule
{
    Restricted = 1,
    ModelRetired = 2,
    Unapproved = 3,
    ApprovalExpired = 4,
    ImpactLevelExceeded = 5,
    DataCategoryNotApproved = 6,
    UsageNotApproved = 7,
    ApprovalExpiringSoon = 8,
    ModelDeprecated = 9,
}

public enum Severity
{
    Warning = 1,
    Low = 2,
    Medium = 3,
    High = 4,
    Critical = 5,
}

public enum FindingStatus
{
    Open,
    Waived,
    Resolved,
}

public enum TransitionStatus
{
    Planned,
    InProgress,
    Done,
    Cancelled,
}

public enum AttestationStatus
{
    Current,
    Superseded,
    Withdrawn,
}

public enum ApprovalListFormat
{
    Json,
    Csv,
}

public enum SyncStatus
{
    Never,
    Succeeded,
    Unchanged,
    Failed,
}

public enum CheckRunStatus
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public enum CheckTrigger
{
    Scheduled,
    Change,
    Manual,
}

public enum AuditAction
{
    Insert,
    Update,
    Delete,
}

public enum AuditVerificationStatus
{
    Running,
    Intact,
    ProblemsFound,
    Failed,
}
