using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class ClusterConfiguration : IEntityTypeConfiguration<ClusterRecord>
{
    public void Configure(EntityTypeBuilder<ClusterRecord> builder)
    {
        builder.ToTable("Clusters");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Name).HasMaxLength(InventoryNames.MaxLength);
        builder.Property(c => c.CpuBaseline).HasMaxLength(64);
        builder.Property(c => c.HaIsolationResponse).HasMaxLength(16);

        // A primitive collection (JSON text on SQLite, text[] on PostgreSQL), like a role's privileges: few, read whole.
        builder.PrimitiveCollection(c => c.HaHeartbeatDatastores);
        builder.HasIndex(c => new { c.FolderId, c.Name }).IsUnique();
        builder.HasOne<FolderRecord>().WithMany().HasForeignKey(c => c.FolderId).OnDelete(DeleteBehavior.Restrict);
    }
}
