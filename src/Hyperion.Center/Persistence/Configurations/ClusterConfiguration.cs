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
        builder.HasIndex(c => new { c.FolderId, c.Name }).IsUnique();
        builder.HasOne<FolderRecord>().WithMany().HasForeignKey(c => c.FolderId).OnDelete(DeleteBehavior.Restrict);
    }
}
