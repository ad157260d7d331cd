using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hyperion.Center.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HostConnection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Hosts_Address",
                table: "Hosts");

            migrationBuilder.AddColumn<string>(
                name: "Password",
                table: "Hosts",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UserName",
                table: "Hosts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Hosts_Address_Port",
                table: "Hosts",
                columns: new[] { "Address", "Port" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Hosts_Address_Port",
                table: "Hosts");

            migrationBuilder.DropColumn(
                name: "Password",
                table: "Hosts");

            migrationBuilder.DropColumn(
                name: "UserName",
                table: "Hosts");

            migrationBuilder.CreateIndex(
                name: "IX_Hosts_Address",
                table: "Hosts",
                column: "Address",
                unique: true);
        }
    }
}
