using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class DatastoreConfiguration : IEntityTypeConfiguration<DatastoreRecord>
{
    public void Configure(EntityTypeBuilder<DatastoreRecord> builder)
    {
        builder.ToTable("Datastores");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(InventoryNames.MaxLength);
        builder.Property(d => d.Type).HasMaxLength(16);
        builder.HasIndex(d => new { d.DatacenterId, d.Name }).IsUnique();
        builder.HasOne<DatacenterRecord>().WithMany().HasForeignKey(d => d.DatacenterId).OnDelete(DeleteBehavior.Restrict);
    }
}
