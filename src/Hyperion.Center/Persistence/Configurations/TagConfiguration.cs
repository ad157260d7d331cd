using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class TagConfiguration : IEntityTypeConfiguration<TagRecord>
{
    public void Configure(EntityTypeBuilder<TagRecord> builder)
    {
        builder.ToTable("Tags");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedOnAdd();
        builder.Property(t => t.Category).HasMaxLength(InventoryNames.MaxLength);
        builder.Property(t => t.Name).HasMaxLength(InventoryNames.MaxLength);
        builder.Property(t => t.Description).HasMaxLength(2048);
        builder.HasIndex(t => new { t.Category, t.Name }).IsUnique();
    }
}
