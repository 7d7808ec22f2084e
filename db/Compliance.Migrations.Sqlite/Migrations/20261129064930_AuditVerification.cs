using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Compliance.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditVerification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditVerifications",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Progress = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    EventsChecked = table.Column<long>(type: "INTEGER", nullable: false),
                    HeadEventId = table.Column<long>(type: "INTEGER", nullable: false),
                    HeadHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    BreakEventId = table.Column<long>(type: "INTEGER", nullable: true),
                    AnchorsChecked = table.Column<int>(type: "INTEGER", nullable: false),
                    AnchorBreaks = table.Column<int>(type: "INTEGER", nullable: false),
                    DriftRows = table.Column<int>(type: "INTEGER", nullable: false),
                    Problems = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditVerifications", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditVerifications_StartedAt",
                table: "AuditVerifications",
                column: "StartedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditVerifications");
        }
    }
}
