using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hyperion.Center.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClusterHa : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RestartPriority",
                table: "Vms",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "medium");

            migrationBuilder.AddColumn<long>(
                name: "MemoryMiB",
                table: "Hosts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "HaEnabled",
                table: "Clusters",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "HaHeartbeatDatastores",
                table: "Clusters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "HaHostFailuresTolerated",
                table: "Clusters",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "HaIsolationResponse",
                table: "Clusters",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "HaVmMonitoring",
                table: "Clusters",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RestartPriority",
                table: "Vms");

            migrationBuilder.DropColumn(
                name: "MemoryMiB",
                table: "Hosts");

            migrationBuilder.DropColumn(
                name: "HaEnabled",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "HaHeartbeatDatastores",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "HaHostFailuresTolerated",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "HaIsolationResponse",
                table: "Clusters");

            migrationBuilder.DropColumn(
                name: "HaVmMonitoring",
                table: "Clusters");
        }
    }
}
