using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Compliance.Migrations.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "CustomerName",
                table: "Bindings",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "ImpactLevel",
                table: "Bindings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ModelName",
                table: "Bindings",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "WorkloadName",
                table: "Bindings",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            // Fill the copies of existing rows, then keep them in step (DatabaseCopies).
            migrationBuilder.Sql("""
                UPDATE Bindings SET
                    CustomerId = (SELECT w.CustomerId FROM Workloads w WHERE w.Id = Bindings.WorkloadId),
                    CustomerName = (SELECT c.Name FROM Workloads w JOIN Customers c ON c.Id = w.CustomerId WHERE w.Id = Bindings.WorkloadId),
                    WorkloadName = (SELECT w.Name FROM Workloads w WHERE w.Id = Bindings.WorkloadId),
                    ImpactLevel = (SELECT w.ImpactLevel FROM Workloads w WHERE w.Id = Bindings.WorkloadId),
                    ModelName = (SELECT m.DisplayName FROM Models m WHERE m.Id = Bindings.ModelId);
                """);
            foreach (var (name, when) in new[] { ("TR_Bindings_Copies_Insert", "AFTER INSERT ON Bindings"), ("TR_Bindings_Copies_Update", "AFTER UPDATE OF WorkloadId, ModelId ON Bindings") })
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {name} {when}
                    BEGIN
                        UPDATE Bindings SET
                            CustomerId = (SELECT w.CustomerId FROM Workloads w WHERE w.Id = NEW.WorkloadId),
                            CustomerName = (SELECT c.Name FROM Workloads w JOIN Customers c ON c.Id = w.CustomerId WHERE w.Id = NEW.WorkloadId),
                            WorkloadName = (SELECT w.Name FROM Workloads w WHERE w.Id = NEW.WorkloadId),
                            ImpactLevel = (SELECT w.ImpactLevel FROM Workloads w WHERE w.Id = NEW.WorkloadId),
                            ModelName = (SELECT m.DisplayName FROM Models m WHERE m.Id = NEW.ModelId)
                        WHERE Id = NEW.Id;
                    END;
                    """);
            }

            migrationBuilder.Sql("""
                CREATE TRIGGER TR_Workloads_Copies_Update AFTER UPDATE OF Name, ImpactLevel, CustomerId ON Workloads
                WHEN OLD.Name IS NOT NEW.Name OR OLD.ImpactLevel IS NOT NEW.ImpactLevel OR OLD.CustomerId IS NOT NEW.CustomerId
                BEGIN
                    UPDATE Bindings SET WorkloadName = NEW.Name, ImpactLevel = NEW.ImpactLevel, CustomerId = NEW.CustomerId,
                        CustomerName = (SELECT c.Name FROM Customers c WHERE c.Id = NEW.CustomerId)
                    WHERE WorkloadId = NEW.Id;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER TR_Customers_Copies_Update AFTER UPDATE OF Name ON Customers WHEN OLD.Name IS NOT NEW.Name
                BEGIN
                    UPDATE Bindings SET CustomerName = NEW.Name WHERE CustomerId = NEW.Id;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER TR_Models_Copies_Update AFTER UPDATE OF DisplayName ON Models WHEN OLD.DisplayName IS NOT NEW.DisplayName
                BEGIN
                    UPDATE Bindings SET ModelName = NEW.DisplayName WHERE ModelId = NEW.Id;
                END;
                """);

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
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {name};");
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
    }
}
