using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Compliance.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class PostureDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PostureDays",
                columns: table => new
                {
                    Day = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CustomerId = table.Column<int>(type: "int", nullable: false),
                    Bindings = table.Column<int>(type: "int", nullable: false),
                    Compliant = table.Column<int>(type: "int", nullable: false),
                    CompliantWithWaivers = table.Column<int>(type: "int", nullable: false),
                    NotCompliant = table.Column<int>(type: "int", nullable: false),
                    OpenCritical = table.Column<int>(type: "int", nullable: false),
                    OpenHigh = table.Column<int>(type: "int", nullable: false),
                    OpenMedium = table.Column<int>(type: "int", nullable: false),
                    OpenLow = table.Column<int>(type: "int", nullable: false),
                    OpenWarnings = table.Column<int>(type: "int", nullable: false),
                    WaivedFindings = table.Column<int>(type: "int", nullable: false),
                    OverduePlans = table.Column<int>(type: "int", nullable: false),
                    CheckRunId = table.Column<int>(type: "int", nullable: true),
                    ComputedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PostureDays", x => new { x.CustomerId, x.Day });
                });

            migrationBuilder.CreateIndex(
                name: "IX_PostureDays_Day",
                table: "PostureDays",
                column: "Day");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PostureDays");
        }
    }
}
