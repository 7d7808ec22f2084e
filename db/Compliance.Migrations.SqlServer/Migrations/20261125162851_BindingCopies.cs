using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Compliance.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class BindingCopies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CustomerId",
                table: "Bindings",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "CustomerName",
                table: "Bindings",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "ImpactLevel",
                table: "Bindings",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ModelName",
                table: "Bindings",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "WorkloadName",
                table: "Bindings",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            // Fill the copies of existing rows, then keep them in step (DatabaseCopies). CREATE TRIGGER must start
            // its batch, and the idempotent script wraps each step in IF … BEGIN … END: hence EXEC.
            // EXEC also for the fill: a batch naming columns added in the same batch does not compile.
            migrationBuilder.Sql(Exec("""
                UPDATE b SET CustomerId = w.CustomerId, CustomerName = c.Name, WorkloadName = w.Name, ImpactLevel = w.ImpactLevel, ModelName = m.DisplayName
                FROM [Bindings] b JOIN [Workloads] w ON w.Id = b.WorkloadId JOIN [Customers] c ON c.Id = w.CustomerId JOIN [Models] m ON m.Id = b.ModelId;
                """));
            const string copyFromInserted = """
                SET NOCOUNT ON;
                UPDATE b SET CustomerId = w.CustomerId, CustomerName = c.Name, WorkloadName = w.Name, ImpactLevel = w.ImpactLevel, ModelName = m.DisplayName
                FROM [Bindings] b JOIN inserted i ON i.Id = b.Id JOIN [Workloads] w ON w.Id = b.WorkloadId
                    JOIN [Customers] c ON c.Id = w.CustomerId JOIN [Models] m ON m.Id = b.ModelId;
                """;
            migrationBuilder.Sql(Exec($"CREATE TRIGGER [TR_Bindings_Copies_Insert] ON [Bindings] AFTER INSERT AS BEGIN {copyFromInserted} END"));
            migrationBuilder.Sql(Exec($"CREATE TRIGGER [TR_Bindings_Copies_Update] ON [Bindings] AFTER UPDATE AS BEGIN IF UPDATE(WorkloadId) OR UPDATE(ModelId) BEGIN {copyFromInserted} END END"));
            migrationBuilder.Sql(Exec("""
                CREATE TRIGGER [TR_Workloads_Copies_Update] ON [Workloads] AFTER UPDATE AS BEGIN
                    SET NOCOUNT ON;
                    IF UPDATE(Name) OR UPDATE(ImpactLevel) OR UPDATE(CustomerId)
                        UPDATE b SET WorkloadName = w.Name, ImpactLevel = w.ImpactLevel, CustomerId = w.CustomerId, CustomerName = c.Name
                        FROM [Bindings] b JOIN inserted w ON w.Id = b.WorkloadId JOIN [Customers] c ON c.Id = w.CustomerId;
                END
                """));
            migrationBuilder.Sql(Exec("""
                CREATE TRIGGER [TR_Customers_Copies_Update] ON [Customers] AFTER UPDATE AS BEGIN
                    SET NOCOUNT ON;
                    IF UPDATE(Name)
                        UPDATE b SET CustomerName = i.Name FROM [Bindings] b JOIN inserted i ON i.Id = b.CustomerId;
                END
                """));
            migrationBuilder.Sql(Exec("""
                CREATE TRIGGER [TR_Models_Copies_Update] ON [Models] AFTER UPDATE AS BEGIN
                    SET NOCOUNT ON;
                    IF UPDATE(DisplayName)
                        UPDATE b SET ModelName = i.DisplayName FROM [Bindings] b JOIN inserted i ON i.Id = b.ModelId;
                END
                """));

            migrationBuilder.CreateIndex(
                name: "IX_Bindings_CustomerId_Id",
                table: "Bindings",
                columns: new[] { "CustomerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Bindings_CustomerName_Id",
                table: "Bindings",
                columns: new[] { "CustomerName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Bindings_Id_ModelId_WorkloadId_Usage_To",
                table: "Bindings",
                columns: new[] { "Id", "ModelId", "WorkloadId", "Usage", "To" });

            migrationBuilder.CreateIndex(
                name: "IX_Bindings_ImpactLevel_Id",
                table: "Bindings",
                columns: new[] { "ImpactLevel", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Bindings_ModelName_Id",
                table: "Bindings",
                columns: new[] { "ModelName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Bindings_To_From",
                table: "Bindings",
                columns: new[] { "To", "From" });

            migrationBuilder.CreateIndex(
                name: "IX_Bindings_WorkloadName_Id",
                table: "Bindings",
                columns: new[] { "WorkloadName", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var name in new[] { "TR_Bindings_Copies_Insert", "TR_Bindings_Copies_Update", "TR_Workloads_Copies_Update", "TR_Customers_Copies_Update", "TR_Models_Copies_Update" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS [{name}];");
            }

            migrationBuilder.DropIndex(
                name: "IX_Bindings_CustomerId_Id",
                table: "Bindings");

            migrationBuilder.DropIndex(
                name: "IX_Bindings_CustomerName_Id",
                table: "Bindings");

            migrationBuilder.DropIndex(
                name: "IX_Bindings_Id_ModelId_WorkloadId_Usage_To",
                table: "Bindings");

            migrationBuilder.DropIndex(
                name: "IX_Bindings_ImpactLevel_Id",
                table: "Bindings");

            migrationBuilder.DropIndex(
                name: "IX_Bindings_ModelName_Id",
                table: "Bindings");

            migrationBuilder.DropIndex(
                name: "IX_Bindings_To_From",
                table: "Bindings");

            migrationBuilder.DropIndex(
                name: "IX_Bindings_WorkloadName_Id",
                table: "Bindings");

            migrationBuilder.DropColumn(
                name: "CustomerId",
                table: "Bindings");

            migrationBuilder.DropColumn(
                name: "CustomerName",
                table: "Bindings");

            migrationBuilder.DropColumn(
                name: "ImpactLevel",
                table: "Bindings");

            migrationBuilder.DropColumn(
                name: "ModelName",
                table: "Bindings");

            migrationBuilder.DropColumn(
                name: "WorkloadName",
                table: "Bindings");
        }

        private static string Exec(string sql) => $"EXEC(N'{sql.Replace("'", "''")}')";
    }
}
