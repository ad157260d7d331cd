using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class IdSequenceConfiguration : IEntityTypeConfiguration<IdSequenceRecord>
{
    public void Configure(EntityTypeBuilder<IdSequenceRecord> builder)
    {
        builder.ToTable("IdSequences");
        builder.HasKey(s => s.Name);
        builder.Property(s => s.Name).HasMaxLength(32);

        // Number 1 is the seeded root folder (group-1); allocation starts after it.
        builder.HasData(new IdSequenceRecord { Name = IdSequenceRecord.Object, NextValue = InventoryId.RootFolder.Number + 1 });
    }
}
