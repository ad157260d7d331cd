using Hyperion.Center.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class MetricSampleConfiguration : IEntityTypeConfiguration<MetricSampleRecord>
{
    public void Configure(EntityTypeBuilder<MetricSampleRecord> builder)
    {
        builder.ToTable("MetricSamples");

        // The key is the query path: one object's counter at one level over a time range.
        builder.HasKey(m => new { m.ObjectId, m.Counter, m.Level, m.Time });
        builder.Property(m => m.Counter).HasMaxLength(32);

        // Rollups read and retention deletes one level's time range across all objects.
        builder.HasIndex(m => new { m.Level, m.Time });
    }
}
