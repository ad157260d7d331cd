using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hyperion.Center.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Vms_Name",
                table: "Vms");

            migrationBuilder.CreateIndex(
                name: "IX_Vms_Name_Id",
                table: "Vms",
                columns: new[] { "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Events_UserName_Id",
                table: "Events",
                columns: new[] { "UserName", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Vms_Name_Id",
                table: "Vms");

            migrationBuilder.DropIndex(
                name: "IX_Events_UserName_Id",
                table: "Events");

            migrationBuilder.CreateIndex(
                name: "IX_Vms_Name",
                table: "Vms",
                column: "Name");
        }
    }
}
