using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Compliance.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class StaffMachineClients : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ApiClients",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ClientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SecretSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CustomerId = table.Column<int>(type: "integer", nullable: true),
                    Scopes = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RevokedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    LastUsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiClients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApiClients_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiClients_ClientId",
                table: "ApiClients",
                column: "ClientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiClients_CustomerId",
                table: "ApiClients",
                column: "CustomerId");

            // Customers' clients keep working: copied (new row ids; nothing refers to them) with the read scope they always had.
            migrationBuilder.Sql("""INSERT INTO "ApiClients" ("ClientId", "SecretSha256", "CustomerId", "Name", "CreatedBy", "CreatedAt", "RevokedAt", "RevokedBy", "LastUsedAt", "Scopes") SELECT "ClientId", "SecretSha256", "CustomerId", "Name", "CreatedBy", "CreatedAt", "RevokedAt", "RevokedBy", "LastUsedAt", 'read' FROM "CustomerApiClients" ORDER BY "Id";""");

            migrationBuilder.DropTable(
                name: "CustomerApiClients");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CustomerApiClients",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    ClientId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    LastUsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RevokedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    SecretSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerApiClients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CustomerApiClients_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerApiClients_ClientId",
                table: "CustomerApiClients",
                column: "ClientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CustomerApiClients_CustomerId",
                table: "CustomerApiClients",
                column: "CustomerId");

            // Staff machine clients have no place in the older table: only customers' clients go back.
            migrationBuilder.Sql("""INSERT INTO "CustomerApiClients" ("ClientId", "SecretSha256", "CustomerId", "Name", "CreatedBy", "CreatedAt", "RevokedAt", "RevokedBy", "LastUsedAt") SELECT "ClientId", "SecretSha256", "CustomerId", "Name", "CreatedBy", "CreatedAt", "RevokedAt", "RevokedBy", "LastUsedAt" FROM "ApiClients" WHERE "CustomerId" IS NOT NULL ORDER BY "Id";""");

            migrationBuilder.DropTable(
                name: "ApiClients");
        }
    }
}
