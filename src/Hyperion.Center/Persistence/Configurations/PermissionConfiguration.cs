using Hyperion.Center.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class PermissionConfiguration : IEntityTypeConfiguration<PermissionRecord>
{
    public void Configure(EntityTypeBuilder<PermissionRecord> builder)
    {
        builder.ToTable("Permissions");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedOnAdd();

        // vSphere keeps one permission per principal and object; setting another replaces it.
        builder.HasIndex(p => new { p.UserId, p.ObjectId }).IsUnique();
        builder.HasIndex(p => p.ObjectId);
        builder.HasIndex(p => p.RoleId);
        builder.HasOne<UserRecord>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);

        // A role in use cannot be deleted until its permissions are.
        builder.HasOne<RoleRecord>().WithMany().HasForeignKey(p => p.RoleId).OnDelete(DeleteBehavior.Restrict);
    }
}
