using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Compliance.Migrations.Sqlite.Migrations
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
                    Day = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<int>(type: "INTEGER", nullable: false),
                    Bindings = table.Column<int>(type: "INTEGER", nullable: false),
                    Compliant = table.Column<int>(type: "INTEGER", nullable: false),
                    CompliantWithWaivers = table.Column<int>(type: "INTEGER", nullable: false),
                    NotCompliant = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenCritical = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenHigh = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenMedium = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenLow = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenWarnings = table.Column<int>(type: "INTEGER", nullable: false),
                    WaivedFindings = table.Column<int>(type: "INTEGER", nullable: false),
                    OverduePlans = table.Column<int>(type: "INTEGER", nullable: false),
                    CheckRunId = table.Column<int>(type: "INTEGER", nullable: true),
                    ComputedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
