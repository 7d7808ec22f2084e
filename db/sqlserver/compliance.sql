IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [ApprovalListSources] (
        [Id] int NOT NULL IDENTITY,
        [Name] nvarchar(200) NOT NULL,
        [Format] int NOT NULL,
        [Url] nvarchar(2000) NULL,
        [UploadedContent] varbinary(max) NULL,
        [Schedule] nvarchar(100) NOT NULL,
        [Enabled] bit NOT NULL,
        [ETag] nvarchar(400) NULL,
        [ContentSha256] nvarchar(64) NULL,
        [LastSyncAt] datetime2 NULL,
        [LastSyncStatus] int NOT NULL,
        [LastSyncError] nvarchar(4000) NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_ApprovalListSources] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [AuditEvents] (
        [Id] bigint NOT NULL IDENTITY,
        [At] datetime2 NOT NULL,
        [User] nvarchar(200) NOT NULL,
        [Action] int NOT NULL,
        [Entity] nvarchar(100) NOT NULL,
        [EntityKey] nvarchar(100) NOT NULL,
        [Before] nvarchar(max) NULL,
        [After] nvarchar(max) NULL,
        [Reason] nvarchar(2000) NULL,
        [PreviousHash] nvarchar(64) NOT NULL,
        [Hash] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_AuditEvents] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [CheckRuns] (
        [Id] int NOT NULL IDENTITY,
        [StartedAt] datetime2 NOT NULL,
        [FinishedAt] datetime2 NULL,
        [Status] int NOT NULL,
        [Trigger] int NOT NULL,
        [BindingsEvaluated] int NOT NULL,
        [CompliantBindings] int NOT NULL,
        [FindingsOpened] int NOT NULL,
        [FindingsResolved] int NOT NULL,
        [OpenCritical] int NOT NULL,
        [OpenHigh] int NOT NULL,
        [OpenMedium] int NOT NULL,
        [OpenWarnings] int NOT NULL,
        [Error] nvarchar(4000) NULL,
        CONSTRAINT [PK_CheckRuns] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [Customers] (
        [Id] int NOT NULL IDENTITY,
        [Code] nvarchar(64) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Sector] int NOT NULL,
        [ContactEmail] nvarchar(320) NULL,
        CONSTRAINT [PK_Customers] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [DataProtectionKeys] (
        [Id] int NOT NULL IDENTITY,
        [FriendlyName] nvarchar(400) NULL,
        [Xml] nvarchar(max) NULL,
        CONSTRAINT [PK_DataProtectionKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [Models] (
        [Id] int NOT NULL IDENTITY,
        [Provider] nvarchar(100) NOT NULL,
        [HostModelId] nvarchar(200) NOT NULL,
        [DisplayName] nvarchar(200) NOT NULL,
        [Version] nvarchar(100) NOT NULL,
        [Hosting] nvarchar(100) NOT NULL,
        [Region] nvarchar(100) NOT NULL,
        [DeprecatedOn] datetime2 NULL,
        [RetiredOn] datetime2 NULL,
        [Description] nvarchar(2000) NULL,
        CONSTRAINT [PK_Models] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [ApprovalListSyncs] (
        [Id] bigint NOT NULL IDENTITY,
        [SourceId] int NOT NULL,
        [StartedAt] datetime2 NOT NULL,
        [FinishedAt] datetime2 NULL,
        [Status] int NOT NULL,
        [ContentSha256] nvarchar(64) NULL,
        [Added] int NOT NULL,
        [Changed] int NOT NULL,
        [Removed] int NOT NULL,
        [Diff] nvarchar(max) NULL,
        [Error] nvarchar(4000) NULL,
        CONSTRAINT [PK_ApprovalListSyncs] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ApprovalListSyncs_ApprovalListSources_SourceId] FOREIGN KEY ([SourceId]) REFERENCES [ApprovalListSources] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [Attestations] (
        [Id] int NOT NULL IDENTITY,
        [CustomerId] int NOT NULL,
        [VerificationCode] nvarchar(32) NOT NULL,
        [Statement] nvarchar(4000) NOT NULL,
        [IssuedBy] nvarchar(200) NOT NULL,
        [IssuedAt] datetime2 NOT NULL,
        [AsOf] datetime2 NOT NULL,
        [CheckRunId] int NULL,
        [SnapshotJson] nvarchar(max) NOT NULL,
        [SnapshotSha256] nvarchar(64) NOT NULL,
        [Pdf] varbinary(max) NOT NULL,
        [PdfSha256] nvarchar(64) NOT NULL,
        [IsDevelopmentCopy] bit NOT NULL,
        [Status] int NOT NULL,
        [SupersededById] int NULL,
        [WithdrawnAt] datetime2 NULL,
        [WithdrawnBy] nvarchar(200) NULL,
        [WithdrawalReason] nvarchar(2000) NULL,
        CONSTRAINT [PK_Attestations] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Attestations_Customers_CustomerId] FOREIGN KEY ([CustomerId]) REFERENCES [Customers] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [Workloads] (
        [Id] int NOT NULL IDENTITY,
        [CustomerId] int NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Owner] nvarchar(200) NOT NULL,
        [Environment] nvarchar(50) NOT NULL,
        [ImpactLevel] int NOT NULL,
        [DataCategories] int NOT NULL,
        [Description] nvarchar(2000) NULL,
        CONSTRAINT [PK_Workloads] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Workloads_Customers_CustomerId] FOREIGN KEY ([CustomerId]) REFERENCES [Customers] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [Approvals] (
        [Id] int NOT NULL IDENTITY,
        [ModelId] int NOT NULL,
        [Status] int NOT NULL,
        [MaxImpactLevel] int NOT NULL,
        [DataCategories] int NOT NULL,
        [Usages] int NOT NULL,
        [Sectors] int NOT NULL,
        [CustomerIds] nvarchar(4000) NOT NULL,
        [ValidFrom] datetime2 NOT NULL,
        [ValidUntil] datetime2 NULL,
        [Conditions] nvarchar(2000) NULL,
        [Justification] nvarchar(2000) NOT NULL,
        [RequestedBy] nvarchar(200) NOT NULL,
        [RequestedAt] datetime2 NOT NULL,
        [DecidedBy] nvarchar(200) NULL,
        [DecidedAt] datetime2 NULL,
        [DecisionReason] nvarchar(2000) NULL,
        [SourceId] int NULL,
        [SourceEntryKey] nvarchar(200) NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Approvals] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Approvals_ApprovalListSources_SourceId] FOREIGN KEY ([SourceId]) REFERENCES [ApprovalListSources] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Approvals_Models_ModelId] FOREIGN KEY ([ModelId]) REFERENCES [Models] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [Restrictions] (
        [Id] int NOT NULL IDENTITY,
        [ModelId] int NULL,
        [Provider] nvarchar(100) NULL,
        [Sectors] int NOT NULL,
        [CustomerIds] nvarchar(4000) NOT NULL,
        [MinImpactLevel] int NOT NULL,
        [EffectiveFrom] datetime2 NOT NULL,
        [TransitionDeadline] datetime2 NOT NULL,
        [Reason] nvarchar(2000) NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [LiftedBy] nvarchar(200) NULL,
        [LiftedAt] datetime2 NULL,
        [LiftReason] nvarchar(2000) NULL,
        [SourceId] int NULL,
        [SourceEntryKey] nvarchar(200) NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Restrictions] PRIMARY KEY ([Id]),
        CONSTRAINT [CK_Restrictions_ModelOrProvider] CHECK ("ModelId" IS NOT NULL OR "Provider" IS NOT NULL),
        CONSTRAINT [FK_Restrictions_ApprovalListSources_SourceId] FOREIGN KEY ([SourceId]) REFERENCES [ApprovalListSources] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Restrictions_Models_ModelId] FOREIGN KEY ([ModelId]) REFERENCES [Models] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [AttestationDownloads] (
        [Id] bigint NOT NULL IDENTITY,
        [AttestationId] int NOT NULL,
        [DownloadedBy] nvarchar(200) NOT NULL,
        [At] datetime2 NOT NULL,
        [Format] nvarchar(10) NOT NULL,
        CONSTRAINT [PK_AttestationDownloads] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AttestationDownloads_Attestations_AttestationId] FOREIGN KEY ([AttestationId]) REFERENCES [Attestations] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [Bindings] (
        [Id] int NOT NULL IDENTITY,
        [ModelId] int NOT NULL,
        [WorkloadId] int NOT NULL,
        [Usage] int NOT NULL,
        [Purpose] nvarchar(500) NOT NULL,
        [From] datetime2 NOT NULL,
        [To] datetime2 NULL,
        CONSTRAINT [PK_Bindings] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Bindings_Models_ModelId] FOREIGN KEY ([ModelId]) REFERENCES [Models] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Bindings_Workloads_WorkloadId] FOREIGN KEY ([WorkloadId]) REFERENCES [Workloads] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [Findings] (
        [Id] bigint NOT NULL IDENTITY,
        [BindingId] int NOT NULL,
        [Rule] int NOT NULL,
        [Severity] int NOT NULL,
        [Status] int NOT NULL,
        [FirstSeen] datetime2 NOT NULL,
        [LastSeen] datetime2 NOT NULL,
        [ResolvedAt] datetime2 NULL,
        [Detail] nvarchar(1000) NOT NULL,
        [RestrictionId] int NULL,
        [ApprovalId] int NULL,
        [LastCheckRunId] int NULL,
        CONSTRAINT [PK_Findings] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Findings_Bindings_BindingId] FOREIGN KEY ([BindingId]) REFERENCES [Bindings] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [TransitionPlans] (
        [Id] int NOT NULL IDENTITY,
        [BindingId] int NOT NULL,
        [RestrictionId] int NOT NULL,
        [TargetModelId] int NOT NULL,
        [Owner] nvarchar(200) NOT NULL,
        [TargetDate] datetime2 NOT NULL,
        [Status] int NOT NULL,
        [Notes] nvarchar(2000) NULL,
        [NewBindingId] int NULL,
        [CompletedAt] datetime2 NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_TransitionPlans] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_TransitionPlans_Bindings_BindingId] FOREIGN KEY ([BindingId]) REFERENCES [Bindings] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_TransitionPlans_Models_TargetModelId] FOREIGN KEY ([TargetModelId]) REFERENCES [Models] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_TransitionPlans_Restrictions_RestrictionId] FOREIGN KEY ([RestrictionId]) REFERENCES [Restrictions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE TABLE [Waivers] (
        [Id] int NOT NULL IDENTITY,
        [FindingId] bigint NOT NULL,
        [Justification] nvarchar(2000) NOT NULL,
        [GrantedBy] nvarchar(200) NOT NULL,
        [GrantedAt] datetime2 NOT NULL,
        [ExpiresAt] datetime2 NOT NULL,
        [RevokedAt] datetime2 NULL,
        [RevokedBy] nvarchar(200) NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Waivers] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Waivers_Findings_FindingId] FOREIGN KEY ([FindingId]) REFERENCES [Findings] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ApprovalListSources_Name] ON [ApprovalListSources] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_ApprovalListSyncs_SourceId_StartedAt] ON [ApprovalListSyncs] ([SourceId], [StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Approvals_ModelId_Status] ON [Approvals] ([ModelId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Approvals_SourceId_SourceEntryKey] ON [Approvals] ([SourceId], [SourceEntryKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Approvals_Status_ValidUntil] ON [Approvals] ([Status], [ValidUntil]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_AttestationDownloads_AttestationId_At] ON [AttestationDownloads] ([AttestationId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Attestations_CustomerId_IssuedAt] ON [Attestations] ([CustomerId], [IssuedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Attestations_VerificationCode] ON [Attestations] ([VerificationCode]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEvents_At] ON [AuditEvents] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEvents_Entity_EntityKey] ON [AuditEvents] ([Entity], [EntityKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Bindings_From] ON [Bindings] ([From]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Bindings_ModelId_Id] ON [Bindings] ([ModelId], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Bindings_WorkloadId_Id] ON [Bindings] ([WorkloadId], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_CheckRuns_StartedAt] ON [CheckRuns] ([StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Customers_Code] ON [Customers] ([Code]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Customers_Name] ON [Customers] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Findings_BindingId_Rule] ON [Findings] ([BindingId], [Rule]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Findings_RestrictionId] ON [Findings] ([RestrictionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Findings_Rule_Status] ON [Findings] ([Rule], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Findings_Status_Severity] ON [Findings] ([Status], [Severity]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Models_DisplayName] ON [Models] ([DisplayName]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Models_HostModelId_Hosting_Region] ON [Models] ([HostModelId], [Hosting], [Region]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Models_Provider_DisplayName] ON [Models] ([Provider], [DisplayName]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Restrictions_ModelId] ON [Restrictions] ([ModelId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Restrictions_Provider] ON [Restrictions] ([Provider]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Restrictions_SourceId_SourceEntryKey] ON [Restrictions] ([SourceId], [SourceEntryKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_TransitionPlans_BindingId_Open] ON [TransitionPlans] ([BindingId]) WHERE "Status" IN (0, 1)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_TransitionPlans_RestrictionId_Status] ON [TransitionPlans] ([RestrictionId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_TransitionPlans_TargetModelId] ON [TransitionPlans] ([TargetModelId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Waivers_ExpiresAt] ON [Waivers] ([ExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Waivers_FindingId_ExpiresAt] ON [Waivers] ([FindingId], [ExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Workloads_CustomerId_Name] ON [Workloads] ([CustomerId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Workloads_ImpactLevel_Id] ON [Workloads] ([ImpactLevel], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    CREATE INDEX [IX_Workloads_Name] ON [Workloads] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150025_Initial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125150025_Initial', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    ALTER TABLE [Bindings] ADD [CustomerId] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    ALTER TABLE [Bindings] ADD [CustomerName] nvarchar(200) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    ALTER TABLE [Bindings] ADD [ImpactLevel] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    ALTER TABLE [Bindings] ADD [ModelName] nvarchar(200) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    ALTER TABLE [Bindings] ADD [WorkloadName] nvarchar(200) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    EXEC(N'UPDATE b SET CustomerId = w.CustomerId, CustomerName = c.Name, WorkloadName = w.Name, ImpactLevel = w.ImpactLevel, ModelName = m.DisplayName
    FROM [Bindings] b JOIN [Workloads] w ON w.Id = b.WorkloadId JOIN [Customers] c ON c.Id = w.CustomerId JOIN [Models] m ON m.Id = b.ModelId;')
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    EXEC(N'CREATE TRIGGER [TR_Bindings_Copies_Insert] ON [Bindings] AFTER INSERT AS BEGIN SET NOCOUNT ON;
    UPDATE b SET CustomerId = w.CustomerId, CustomerName = c.Name, WorkloadName = w.Name, ImpactLevel = w.ImpactLevel, ModelName = m.DisplayName
    FROM [Bindings] b JOIN inserted i ON i.Id = b.Id JOIN [Workloads] w ON w.Id = b.WorkloadId
        JOIN [Customers] c ON c.Id = w.CustomerId JOIN [Models] m ON m.Id = b.ModelId; END')
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    EXEC(N'CREATE TRIGGER [TR_Bindings_Copies_Update] ON [Bindings] AFTER UPDATE AS BEGIN IF UPDATE(WorkloadId) OR UPDATE(ModelId) BEGIN SET NOCOUNT ON;
    UPDATE b SET CustomerId = w.CustomerId, CustomerName = c.Name, WorkloadName = w.Name, ImpactLevel = w.ImpactLevel, ModelName = m.DisplayName
    FROM [Bindings] b JOIN inserted i ON i.Id = b.Id JOIN [Workloads] w ON w.Id = b.WorkloadId
        JOIN [Customers] c ON c.Id = w.CustomerId JOIN [Models] m ON m.Id = b.ModelId; END END')
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    EXEC(N'CREATE TRIGGER [TR_Workloads_Copies_Update] ON [Workloads] AFTER UPDATE AS BEGIN
        SET NOCOUNT ON;
        IF UPDATE(Name) OR UPDATE(ImpactLevel) OR UPDATE(CustomerId)
            UPDATE b SET WorkloadName = w.Name, ImpactLevel = w.ImpactLevel, CustomerId = w.CustomerId, CustomerName = c.Name
            FROM [Bindings] b JOIN inserted w ON w.Id = b.WorkloadId JOIN [Customers] c ON c.Id = w.CustomerId;
    END')
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    EXEC(N'CREATE TRIGGER [TR_Customers_Copies_Update] ON [Customers] AFTER UPDATE AS BEGIN
        SET NOCOUNT ON;
        IF UPDATE(Name)
            UPDATE b SET CustomerName = i.Name FROM [Bindings] b JOIN inserted i ON i.Id = b.CustomerId;
    END')
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    EXEC(N'CREATE TRIGGER [TR_Models_Copies_Update] ON [Models] AFTER UPDATE AS BEGIN
        SET NOCOUNT ON;
        IF UPDATE(DisplayName)
            UPDATE b SET ModelName = i.DisplayName FROM [Bindings] b JOIN inserted i ON i.Id = b.ModelId;
    END')
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    CREATE INDEX [IX_Bindings_CustomerId_Id] ON [Bindings] ([CustomerId], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    CREATE INDEX [IX_Bindings_CustomerName_Id] ON [Bindings] ([CustomerName], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    CREATE INDEX [IX_Bindings_Id_ModelId_WorkloadId_Usage_To] ON [Bindings] ([Id], [ModelId], [WorkloadId], [Usage], [To]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    CREATE INDEX [IX_Bindings_ImpactLevel_Id] ON [Bindings] ([ImpactLevel], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    CREATE INDEX [IX_Bindings_ModelName_Id] ON [Bindings] ([ModelName], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    CREATE INDEX [IX_Bindings_To_From] ON [Bindings] ([To], [From]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    CREATE INDEX [IX_Bindings_WorkloadName_Id] ON [Bindings] ([WorkloadName], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125162851_BindingCopies'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125162851_BindingCopies', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129065001_AuditVerification'
)
BEGIN
    CREATE TABLE [AuditVerifications] (
        [Id] int NOT NULL IDENTITY,
        [StartedAt] datetime2 NOT NULL,
        [FinishedAt] datetime2 NULL,
        [Status] int NOT NULL,
        [RequestedBy] nvarchar(200) NOT NULL,
        [Progress] nvarchar(200) NULL,
        [EventsChecked] bigint NOT NULL,
        [HeadEventId] bigint NOT NULL,
        [HeadHash] nvarchar(64) NULL,
        [BreakEventId] bigint NULL,
        [AnchorsChecked] int NOT NULL,
        [AnchorBreaks] int NOT NULL,
        [DriftRows] int NOT NULL,
        [Problems] nvarchar(4000) NULL,
        CONSTRAINT [PK_AuditVerifications] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129065001_AuditVerification'
)
BEGIN
    CREATE INDEX [IX_AuditVerifications_StartedAt] ON [AuditVerifications] ([StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129065001_AuditVerification'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129065001_AuditVerification', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [Restrictions] ADD [LiftRequestReason] nvarchar(2000) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [Restrictions] ADD [LiftRequestedAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [Restrictions] ADD [LiftRequestedBy] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [AuditEvents] ADD [UserName] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSyncs] ADD [RevisionId] bigint NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [PendingConfig] nvarchar(4000) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [PendingContent] varbinary(max) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [PendingRequestedAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [PendingRequestedBy] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [PinnedSha256] nvarchar(64) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [RequestedAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [RequestedBy] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [Review] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [ReviewReason] nvarchar(2000) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [ReviewedAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    ALTER TABLE [ApprovalListSources] ADD [ReviewedBy] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    CREATE TABLE [ApprovalListRevisions] (
        [Id] bigint NOT NULL IDENTITY,
        [SourceId] int NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [Format] int NOT NULL,
        [ContentSha256] nvarchar(64) NOT NULL,
        [Content] varbinary(max) NOT NULL,
        [Diff] nvarchar(max) NOT NULL,
        [Status] int NOT NULL,
        [DecidedBy] nvarchar(200) NULL,
        [DecidedAt] datetime2 NULL,
        [DecisionReason] nvarchar(2000) NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_ApprovalListRevisions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ApprovalListRevisions_ApprovalListSources_SourceId] FOREIGN KEY ([SourceId]) REFERENCES [ApprovalListSources] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    CREATE TABLE [People] (
        [Subject] nvarchar(200) NOT NULL,
        [DisplayName] nvarchar(200) NOT NULL,
        [FirstSeenAt] datetime2 NOT NULL,
        CONSTRAINT [PK_People] PRIMARY KEY ([Subject])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    CREATE INDEX [IX_ApprovalListRevisions_SourceId_Status] ON [ApprovalListRevisions] ([SourceId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129073918_FourEyesEverywhere'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129073918_FourEyesEverywhere', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129084237_SyncRevisionLink'
)
BEGIN
    CREATE INDEX [IX_ApprovalListSyncs_RevisionId] ON [ApprovalListSyncs] ([RevisionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129084237_SyncRevisionLink'
)
BEGIN
    ALTER TABLE [ApprovalListSyncs] ADD CONSTRAINT [FK_ApprovalListSyncs_ApprovalListRevisions_RevisionId] FOREIGN KEY ([RevisionId]) REFERENCES [ApprovalListRevisions] ([Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129084237_SyncRevisionLink'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129084237_SyncRevisionLink', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129121938_PortalAttestationStalenessAndCustomerClients'
)
BEGIN
    ALTER TABLE [Attestations] ADD [StaleReason] nvarchar(2000) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129121938_PortalAttestationStalenessAndCustomerClients'
)
BEGIN
    ALTER TABLE [Attestations] ADD [StaleSince] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129121938_PortalAttestationStalenessAndCustomerClients'
)
BEGIN
    CREATE TABLE [CustomerApiClients] (
        [Id] int NOT NULL IDENTITY,
        [ClientId] nvarchar(64) NOT NULL,
        [SecretSha256] nvarchar(64) NOT NULL,
        [CustomerId] int NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [RevokedAt] datetime2 NULL,
        [RevokedBy] nvarchar(200) NULL,
        [LastUsedAt] datetime2 NULL,
        CONSTRAINT [PK_CustomerApiClients] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_CustomerApiClients_Customers_CustomerId] FOREIGN KEY ([CustomerId]) REFERENCES [Customers] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129121938_PortalAttestationStalenessAndCustomerClients'
)
BEGIN
    CREATE UNIQUE INDEX [IX_CustomerApiClients_ClientId] ON [CustomerApiClients] ([ClientId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129121938_PortalAttestationStalenessAndCustomerClients'
)
BEGIN
    CREATE INDEX [IX_CustomerApiClients_CustomerId] ON [CustomerApiClients] ([CustomerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129121938_PortalAttestationStalenessAndCustomerClients'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129121938_PortalAttestationStalenessAndCustomerClients', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    ALTER TABLE [TransitionPlans] ADD [OverdueNotifiedAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    ALTER TABLE [Restrictions] ADD [DeadlineExtensionReason] nvarchar(2000) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    ALTER TABLE [Restrictions] ADD [DeadlineExtensionRequestedAt] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    ALTER TABLE [Restrictions] ADD [DeadlineExtensionRequestedBy] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    ALTER TABLE [Restrictions] ADD [DeadlineExtensionTo] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    ALTER TABLE [Restrictions] ADD [Hostings] nvarchar(2000) NOT NULL DEFAULT N'[]';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    ALTER TABLE [Restrictions] ADD [Usages] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    ALTER TABLE [Approvals] ADD [Hostings] nvarchar(2000) NOT NULL DEFAULT N'[]';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    ALTER TABLE [Approvals] ADD [RenewalOfId] int NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    CREATE TABLE [EvidencePackages] (
        [Id] int NOT NULL IDENTITY,
        [CustomerId] int NULL,
        [PeriodFrom] datetime2 NOT NULL,
        [PeriodUntil] datetime2 NOT NULL,
        [BuiltBy] nvarchar(200) NOT NULL,
        [BuiltAt] datetime2 NOT NULL,
        [Sha256] nvarchar(64) NOT NULL,
        [SizeBytes] bigint NOT NULL,
        CONSTRAINT [PK_EvidencePackages] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_EvidencePackages_Customers_CustomerId] FOREIGN KEY ([CustomerId]) REFERENCES [Customers] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    CREATE INDEX [IX_TransitionPlans_Status_TargetDate] ON [TransitionPlans] ([Status], [TargetDate]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    CREATE INDEX [IX_Approvals_RenewalOfId] ON [Approvals] ([RenewalOfId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    CREATE INDEX [IX_EvidencePackages_BuiltAt] ON [EvidencePackages] ([BuiltAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    CREATE INDEX [IX_EvidencePackages_CustomerId] ON [EvidencePackages] ([CustomerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    ALTER TABLE [Approvals] ADD CONSTRAINT [FK_Approvals_Approvals_RenewalOfId] FOREIGN KEY ([RenewalOfId]) REFERENCES [Approvals] ([Id]) ON DELETE NO ACTION;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129122047_DayScopesExtensionsEvidence'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129122047_DayScopesExtensionsEvidence', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129123714_Notifications'
)
BEGIN
    ALTER TABLE [Workloads] ADD [OwnerEmail] nvarchar(320) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129123714_Notifications'
)
BEGIN
    ALTER TABLE [People] ADD [Email] nvarchar(320) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129123714_Notifications'
)
BEGIN
    ALTER TABLE [People] ADD [Roles] nvarchar(400) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129123714_Notifications'
)
BEGIN
    CREATE TABLE [NotificationPreferences] (
        [Subject] nvarchar(200) NOT NULL,
        [RestrictionEmails] bit NOT NULL,
        [ApprovalEmails] bit NOT NULL,
        [DailyDigest] bit NOT NULL,
        CONSTRAINT [PK_NotificationPreferences] PRIMARY KEY ([Subject])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129123714_Notifications'
)
BEGIN
    CREATE TABLE [Webhooks] (
        [Id] int NOT NULL IDENTITY,
        [Name] nvarchar(200) NOT NULL,
        [Url] nvarchar(2000) NOT NULL,
        [Events] nvarchar(2000) NOT NULL,
        [Enabled] bit NOT NULL,
        [ProtectedSecret] varbinary(4000) NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_Webhooks] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129123714_Notifications'
)
BEGIN
    CREATE TABLE [WebhookDeliveries] (
        [Id] bigint NOT NULL IDENTITY,
        [WebhookId] int NOT NULL,
        [EventId] nvarchar(64) NOT NULL,
        [EventType] nvarchar(100) NOT NULL,
        [At] datetime2 NOT NULL,
        [StatusCode] int NULL,
        [DurationMs] int NOT NULL,
        [Error] nvarchar(1000) NULL,
        CONSTRAINT [PK_WebhookDeliveries] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_WebhookDeliveries_Webhooks_WebhookId] FOREIGN KEY ([WebhookId]) REFERENCES [Webhooks] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129123714_Notifications'
)
BEGIN
    CREATE INDEX [IX_WebhookDeliveries_WebhookId_Id] ON [WebhookDeliveries] ([WebhookId], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129123714_Notifications'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129123714_Notifications', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129125452_WorkloadKeysAndIdempotentRequests'
)
BEGIN
    ALTER TABLE [Workloads] ADD [Key] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129125452_WorkloadKeysAndIdempotentRequests'
)
BEGIN
    CREATE TABLE [IdempotentRequests] (
        [Id] bigint NOT NULL IDENTITY,
        [Caller] nvarchar(200) NOT NULL,
        [Key] nvarchar(200) NOT NULL,
        [RequestHash] nvarchar(64) NOT NULL,
        [StatusCode] int NULL,
        [ContentType] nvarchar(200) NULL,
        [Location] nvarchar(400) NULL,
        [Body] nvarchar(400) NULL,
        [CreatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_IdempotentRequests] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129125452_WorkloadKeysAndIdempotentRequests'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Workloads_Key] ON [Workloads] ([Key]) WHERE [Key] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129125452_WorkloadKeysAndIdempotentRequests'
)
BEGIN
    CREATE UNIQUE INDEX [IX_IdempotentRequests_Caller_Key] ON [IdempotentRequests] ([Caller], [Key]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129125452_WorkloadKeysAndIdempotentRequests'
)
BEGIN
    CREATE INDEX [IX_IdempotentRequests_CreatedAt] ON [IdempotentRequests] ([CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129125452_WorkloadKeysAndIdempotentRequests'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129125452_WorkloadKeysAndIdempotentRequests', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153242_PostureDays'
)
BEGIN
    CREATE TABLE [PostureDays] (
        [Day] datetime2 NOT NULL,
        [CustomerId] int NOT NULL,
        [Bindings] int NOT NULL,
        [Compliant] int NOT NULL,
        [CompliantWithWaivers] int NOT NULL,
        [NotCompliant] int NOT NULL,
        [OpenCritical] int NOT NULL,
        [OpenHigh] int NOT NULL,
        [OpenMedium] int NOT NULL,
        [OpenLow] int NOT NULL,
        [OpenWarnings] int NOT NULL,
        [WaivedFindings] int NOT NULL,
        [OverduePlans] int NOT NULL,
        [CheckRunId] int NULL,
        [ComputedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_PostureDays] PRIMARY KEY ([CustomerId], [Day])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153242_PostureDays'
)
BEGIN
    CREATE INDEX [IX_PostureDays_Day] ON [PostureDays] ([Day]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153242_PostureDays'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129153242_PostureDays', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153251_StaffMachineClients'
)
BEGIN
    CREATE TABLE [ApiClients] (
        [Id] int NOT NULL IDENTITY,
        [ClientId] nvarchar(64) NOT NULL,
        [SecretSha256] nvarchar(64) NOT NULL,
        [CustomerId] int NULL,
        [Scopes] nvarchar(200) NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [RevokedAt] datetime2 NULL,
        [RevokedBy] nvarchar(200) NULL,
        [LastUsedAt] datetime2 NULL,
        CONSTRAINT [PK_ApiClients] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ApiClients_Customers_CustomerId] FOREIGN KEY ([CustomerId]) REFERENCES [Customers] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153251_StaffMachineClients'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ApiClients_ClientId] ON [ApiClients] ([ClientId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153251_StaffMachineClients'
)
BEGIN
    CREATE INDEX [IX_ApiClients_CustomerId] ON [ApiClients] ([CustomerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153251_StaffMachineClients'
)
BEGIN
    INSERT INTO [ApiClients] ([ClientId], [SecretSha256], [CustomerId], [Name], [CreatedBy], [CreatedAt], [RevokedAt], [RevokedBy], [LastUsedAt], [Scopes]) SELECT [ClientId], [SecretSha256], [CustomerId], [Name], [CreatedBy], [CreatedAt], [RevokedAt], [RevokedBy], [LastUsedAt], 'read' FROM [CustomerApiClients] ORDER BY [Id];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153251_StaffMachineClients'
)
BEGIN
    DROP TABLE [CustomerApiClients];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153251_StaffMachineClients'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129153251_StaffMachineClients', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153318_EndedSessions'
)
BEGIN
    CREATE TABLE [EndedSessions] (
        [Id] nvarchar(64) NOT NULL,
        [Until] datetime2 NOT NULL,
        CONSTRAINT [PK_EndedSessions] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153318_EndedSessions'
)
BEGIN
    CREATE INDEX [IX_EndedSessions_Until] ON [EndedSessions] ([Until]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129153318_EndedSessions'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129153318_EndedSessions', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129163605_FindingsStatusIdIndex'
)
BEGIN
    CREATE INDEX [IX_Findings_Status_Id] ON [Findings] ([Status], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129163605_FindingsStatusIdIndex'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129163605_FindingsStatusIdIndex', N'10.0.15');
END;

COMMIT;
GO

