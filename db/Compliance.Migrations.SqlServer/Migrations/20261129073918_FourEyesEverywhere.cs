using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Compliance.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class FourEyesEverywhere : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LiftRequestReason",
                table: "Restrictions",
                type: "nvarchar(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LiftRequestedAt",
                table: "Restrictions",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LiftRequestedBy",
                table: "Restrictions",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UserName",
                table: "AuditEvents",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RevisionId",
                table: "ApprovalListSyncs",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingConfig",
                table: "ApprovalListSources",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "PendingContent",
                table: "ApprovalListSources",
                type: "varbinary(max)",
                maxLength: 10485760,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PendingRequestedAt",
                table: "ApprovalListSources",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingRequestedBy",
                table: "ApprovalListSources",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PinnedSha256",
                table: "ApprovalListSources",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RequestedAt",
                table: "ApprovalListSources",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedBy",
                table: "ApprovalListSources",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Review",
                table: "ApprovalListSources",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ReviewReason",
                table: "ApprovalListSources",
                type: "nvarchar(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "ApprovalListSources",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "ApprovalListSources",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApprovalListRevisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SourceId = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Format = table.Column<int>(type: "int", nullable: false),
                    ContentSha256 = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Content = table.Column<byte[]>(type: "varbinary(max)", maxLength: 10485760, nullable: false),
                    Diff = table.Column<string>(type: "nvarchar(max)", maxLength: 2147483647, nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    DecidedBy = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    DecisionReason = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    Version = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApprovalListRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApprovalListRevisions_ApprovalListSources_SourceId",
                        column: x => x.SourceId,
                        principalTable: "ApprovalListSources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "People",
                columns: table => new
                {
                    Subject = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    DisplayName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    FirstSeenAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_People", x => x.Subject);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalListRevisions_SourceId_Status",
                table: "ApprovalListRevisions",
                columns: new[] { "SourceId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApprovalListRevisions");

            migrationBuilder.DropTable(
                name: "People");

            migrationBuilder.DropColumn(
                name: "LiftRequestReason",
                table: "Restrictions");

            migrationBuilder.DropColumn(
                name: "LiftRequestedAt",
                table: "Restrictions");

            migrationBuilder.DropColumn(
                name: "LiftRequestedBy",
                table: "Restrictions");

            migrationBuilder.DropColumn(
                name: "UserName",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "RevisionId",
                table: "ApprovalListSyncs");

            migrationBuilder.DropColumn(
                name: "PendingConfig",
                table: "ApprovalListSources");

            migrationBuilder.DropColumn(
                name: "PendingContent",
                table: "ApprovalListSources");

            migrationBuilder.DropColumn(
                name: "PendingRequestedAt",
                table: "ApprovalListSources");

            migrationBuilder.DropColumn(
                name: "PendingRequestedBy",
                table: "ApprovalListSources");

            migrationBuilder.DropColumn(
                name: "PinnedSha256",
                table: "ApprovalListSources");

            migrationBuilder.DropColumn(
                name: "RequestedAt",
                table: "ApprovalListSources");

            migrationBuilder.DropColumn(
                name: "RequestedBy",
                table: "ApprovalListSources");

            migrationBuilder.DropColumn(
                name: "Review",
                table: "ApprovalListSources");

            migrationBuilder.DropColumn(
                name: "ReviewReason",
                table: "ApprovalListSources");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "ApprovalListSources");

            migrationBuilder.DropColumn(
                name: "ReviewedBy",
                table: "ApprovalListSources");
        }
    }
}
