using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class DatacenterConfiguration : IEntityTypeConfiguration<DatacenterRecord>
{
    public void Configure(EntityTypeBuilder<DatacenterRecord> builder)
    {
        builder.ToTable("Datacenters");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(InventoryNames.MaxLength);
        builder.HasIndex(d => d.Name).IsUnique();
        builder.HasOne<FolderRecord>().WithMany().HasForeignKey(d => d.ParentFolderId).OnDelete(DeleteBehavior.Restrict);
    }
}
