using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hyperion.Center.Persistence.Migrations.Postgres
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
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "medium");

            migrationBuilder.AddColumn<long>(
                name: "MemoryMiB",
                table: "Hosts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "HaEnabled",
                table: "Clusters",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<List<string>>(
                name: "HaHeartbeatDatastores",
                table: "Clusters",
                type: "text[]",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "HaHostFailuresTolerated",
                table: "Clusters",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "HaIsolationResponse",
                table: "Clusters",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "HaVmMonitoring",
                table: "Clusters",
                type: "boolean",
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
