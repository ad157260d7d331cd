using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class TaskConfiguration : IEntityTypeConfiguration<TaskRecord>
{
    public void Configure(EntityTypeBuilder<TaskRecord> builder)
    {
        builder.ToTable("Tasks", t => t.HasCheckConstraint("CK_Tasks_Progress", "\"Progress\" BETWEEN 0 AND 100"));
        builder.HasKey(t => t.Id);
        builder.Property(t => t.DescriptionId).HasMaxLength(128);
        builder.Property(t => t.TargetName).HasMaxLength(InventoryNames.MaxLength);
        builder.Property(t => t.Initiator).HasMaxLength(InventoryNames.MaxLength);
        builder.Property(t => t.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.ErrorCode).HasMaxLength(64);
        builder.Property(t => t.ProgressDetail).HasMaxLength(512);
        builder.HasIndex(t => t.TargetId);
        builder.HasIndex(t => t.State);
        builder.HasIndex(t => t.QueuedAt);
    }
}
