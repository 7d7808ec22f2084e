using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Compliance.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LiftRequestedAt",
                table: "Restrictions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LiftRequestedBy",
                table: "Restrictions",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UserName",
                table: "AuditEvents",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RevisionId",
                table: "ApprovalListSyncs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingConfig",
                table: "ApprovalListSources",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "PendingContent",
                table: "ApprovalListSources",
                type: "BLOB",
                maxLength: 10485760,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PendingRequestedAt",
                table: "ApprovalListSources",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingRequestedBy",
                table: "ApprovalListSources",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PinnedSha256",
                table: "ApprovalListSources",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RequestedAt",
                table: "ApprovalListSources",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedBy",
                table: "ApprovalListSources",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Review",
                table: "ApprovalListSources",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ReviewReason",
                table: "ApprovalListSources",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "ApprovalListSources",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReviewedBy",
                table: "ApprovalListSources",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ApprovalListRevisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceId = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Format = table.Column<int>(type: "INTEGER", nullable: false),
                    ContentSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", maxLength: 10485760, nullable: false),
                    Diff = table.Column<string>(type: "TEXT", maxLength: 2147483647, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    FirstSeenAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
