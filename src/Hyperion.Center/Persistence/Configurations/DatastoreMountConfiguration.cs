using Hyperion.Center.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class DatastoreMountConfiguration : IEntityTypeConfiguration<DatastoreMountRecord>
{
    public void Configure(EntityTypeBuilder<DatastoreMountRecord> builder)
    {
        builder.ToTable("DatastoreMounts");
        builder.HasKey(m => new { m.HostId, m.DatastoreId });
        builder.HasIndex(m => m.DatastoreId);
        builder.Property(m => m.Path).HasMaxLength(4096);
        builder.HasOne<HostRecord>().WithMany().HasForeignKey(m => m.HostId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DatastoreRecord>().WithMany().HasForeignKey(m => m.DatastoreId).OnDelete(DeleteBehavior.Cascade);
    }
}
