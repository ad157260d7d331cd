using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class FolderConfiguration : IEntityTypeConfiguration<FolderRecord>
{
    public void Configure(EntityTypeBuilder<FolderRecord> builder)
    {
        builder.ToTable("Folders");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Name).HasMaxLength(InventoryNames.MaxLength);
        builder.Property(f => f.Kind).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(f => new { f.ParentFolderId, f.Name }).IsUnique();

        // A datacenter has one root host folder and one root VM folder. (NULL parents are distinct in a plain
        // unique index on both providers, hence the filter; the SQL is the same for SQLite and PostgreSQL.)
        builder.HasIndex(f => new { f.DatacenterId, f.Kind }).IsUnique().HasFilter("\"ParentFolderId\" IS NULL");

        builder.HasOne<FolderRecord>().WithMany().HasForeignKey(f => f.ParentFolderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DatacenterRecord>().WithMany().HasForeignKey(f => f.DatacenterId).OnDelete(DeleteBehavior.Restrict);

        builder.HasData(new FolderRecord { Id = InventoryId.RootFolder, Name = "Datacenters", Kind = FolderKind.Datacenter });
    }
}
