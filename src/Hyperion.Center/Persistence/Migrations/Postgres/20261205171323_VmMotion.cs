using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hyperion.Center.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VmMotion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProgressDetail",
                table: "Tasks",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CpuBaseline",
                table: "Clusters",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ProgressDetail",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "CpuBaseline",
                table: "Clusters");
        }
    }
}
