using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Compliance.Migrations.SqlServer.Migrations
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
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    StartedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    Status = table.Column<int>(type: "int", nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Progress = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    EventsChecked = table.Column<long>(type: "bigint", nullable: false),
                    HeadEventId = table.Column<long>(type: "bigint", nullable: false),
                    HeadHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    BreakEventId = table.Column<long>(type: "bigint", nullable: true),
                    AnchorsChecked = table.Column<int>(type: "int", nullable: false),
                    AnchorBreaks = table.Column<int>(type: "int", nullable: false),
                    DriftRows = table.Column<int>(type: "int", nullable: false),
                    Problems = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true)
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
