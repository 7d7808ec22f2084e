using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Compliance.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SyncRevisionLink : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ApprovalListSyncs_RevisionId",
                table: "ApprovalListSyncs",
                column: "RevisionId");

            migrationBuilder.AddForeignKey(
                name: "FK_ApprovalListSyncs_ApprovalListRevisions_RevisionId",
                table: "ApprovalListSyncs",
                column: "RevisionId",
                principalTable: "ApprovalListRevisions",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ApprovalListSyncs_ApprovalListRevisions_RevisionId",
                table: "ApprovalListSyncs");

            migrationBuilder.DropIndex(
                name: "IX_ApprovalListSyncs_RevisionId",
                table: "ApprovalListSyncs");
        }
    }
}
