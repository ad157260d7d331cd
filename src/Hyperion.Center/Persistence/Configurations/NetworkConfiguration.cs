using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class NetworkConfiguration : IEntityTypeConfiguration<NetworkRecord>
{
    public void Configure(EntityTypeBuilder<NetworkRecord> builder)
    {
        builder.ToTable("Networks");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Name).HasMaxLength(InventoryNames.MaxLength);
        builder.HasIndex(n => new { n.DatacenterId, n.Name }).IsUnique();
        builder.HasOne<DatacenterRecord>().WithMany().HasForeignKey(n => n.DatacenterId).OnDelete(DeleteBehavior.Restrict);
    }
}
