using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class VmConfiguration : IEntityTypeConfiguration<VmRecord>
{
    public void Configure(EntityTypeBuilder<VmRecord> builder)
    {
        builder.ToTable("Vms");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Name).HasMaxLength(InventoryNames.MaxLength);
        builder.Property(v => v.PowerState).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.HostLocalId).HasMaxLength(24);
        builder.Property(v => v.RestartPriority).HasMaxLength(16).HasDefaultValue("medium");
        builder.HasIndex(v => new { v.FolderId, v.Name }).IsUnique();
        builder.HasIndex(v => v.Uuid).IsUnique();
        builder.HasIndex(v => new { v.HostId, v.HostLocalId }).IsUnique();

        // Lists page by (name, id); this index serves that keyset order, so a deep page costs what the first does.
        builder.HasIndex(v => new { v.Name, v.Id });
        builder.HasIndex(v => v.DatastoreId);
        builder.HasOne<FolderRecord>().WithMany().HasForeignKey(v => v.FolderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<HostRecord>().WithMany().HasForeignKey(v => v.HostId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DatastoreRecord>().WithMany().HasForeignKey(v => v.DatastoreId).OnDelete(DeleteBehavior.Restrict);
    }
}
