using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Compliance.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DayScopesExtensionsEvidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "OverdueNotifiedAt",
                table: "TransitionPlans",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeadlineExtensionReason",
                table: "Restrictions",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DeadlineExtensionRequestedAt",
                table: "Restrictions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DeadlineExtensionRequestedBy",
                table: "Restrictions",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DeadlineExtensionTo",
                table: "Restrictions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Hostings",
                table: "Restrictions",
                type: "TEXT",
                maxLength: 2000,
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<int>(
                name: "Usages",
                table: "Restrictions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Hostings",
                table: "Approvals",
                type: "TEXT",
                maxLength: 2000,
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<int>(
                name: "RenewalOfId",
                table: "Approvals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EvidencePackages",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: true),
                    PeriodFrom = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PeriodUntil = table.Column<DateTime>(type: "TEXT", nullable: false),
                    BuiltBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    BuiltAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EvidencePackages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EvidencePackages_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TransitionPlans_Status_TargetDate",
                table: "TransitionPlans",
                columns: new[] { "Status", "TargetDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Approvals_RenewalOfId",
                table: "Approvals",
                column: "RenewalOfId");

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePackages_BuiltAt",
                table: "EvidencePackages",
                column: "BuiltAt");

            migrationBuilder.CreateIndex(
                name: "IX_EvidencePackages_CustomerId",
                table: "EvidencePackages",
                column: "CustomerId");

            migrationBuilder.AddForeignKey(
                name: "FK_Approvals_Approvals_RenewalOfId",
                table: "Approvals",
                column: "RenewalOfId",
                principalTable: "Approvals",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Approvals_Approvals_RenewalOfId",
                table: "Approvals");

            migrationBuilder.DropTable(
                name: "EvidencePackages");

            migrationBuilder.DropIndex(
                name: "IX_TransitionPlans_Status_TargetDate",
                table: "TransitionPlans");

            migrationBuilder.DropIndex(
                name: "IX_Approvals_RenewalOfId",
                table: "Approvals");

            migrationBuilder.DropColumn(
                name: "OverdueNotifiedAt",
                table: "TransitionPlans");

            migrationBuilder.DropColumn(
                name: "DeadlineExtensionReason",
                table: "Restrictions");

            migrationBuilder.DropColumn(
                name: "DeadlineExtensionRequestedAt",
                table: "Restrictions");

            migrationBuilder.DropColumn(
                name: "DeadlineExtensionRequestedBy",
                table: "Restrictions");

            migrationBuilder.DropColumn(
                name: "DeadlineExtensionTo",
                table: "Restrictions");

            migrationBuilder.DropColumn(
                name: "Hostings",
                table: "Restrictions");

            migrationBuilder.DropColumn(
                name: "Usages",
                table: "Restrictions");

            migrationBuilder.DropColumn(
                name: "Hostings",
                table: "Approvals");

            migrationBuilder.DropColumn(
                name: "RenewalOfId",
                table: "Approvals");
        }
    }
}
