using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hyperion.Center.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Metrics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MetricSamples",
                columns: table => new
                {
                    ObjectId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Counter = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    Time = table.Column<long>(type: "INTEGER", nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: false),
                    Min = table.Column<double>(type: "REAL", nullable: true),
                    Max = table.Column<double>(type: "REAL", nullable: true),
                    SampleCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MetricSamples", x => new { x.ObjectId, x.Counter, x.Level, x.Time });
                });

            migrationBuilder.CreateIndex(
                name: "IX_MetricSamples_Level_Time",
                table: "MetricSamples",
                columns: new[] { "Level", "Time" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MetricSamples");
        }
    }
}
