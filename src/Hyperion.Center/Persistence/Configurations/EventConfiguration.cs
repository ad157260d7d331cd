using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class EventConfiguration : IEntityTypeConfiguration<EventRecord>
{
    public void Configure(EntityTypeBuilder<EventRecord> builder)
    {
        builder.ToTable("Events");
        builder.HasKey(e => e.Id);

        // AUTOINCREMENT on SQLite, an identity column on PostgreSQL: event ids never go back, even after pruning,
        // so a client's "after=<id>" cursor stays valid.
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.ObjectName).HasMaxLength(InventoryNames.MaxLength);
        builder.Property(e => e.UserName).HasMaxLength(InventoryNames.MaxLength);
        builder.HasIndex(e => new { e.ObjectId, e.Id });
        builder.HasIndex(e => new { e.Type, e.Id });
        builder.HasIndex(e => e.Time);
        builder.HasIndex(e => new { e.UserName, e.Id });
    }
}
