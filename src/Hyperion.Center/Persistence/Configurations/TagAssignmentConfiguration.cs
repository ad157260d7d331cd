using Hyperion.Center.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class TagAssignmentConfiguration : IEntityTypeConfiguration<TagAssignmentRecord>
{
    public void Configure(EntityTypeBuilder<TagAssignmentRecord> builder)
    {
        builder.ToTable("TagAssignments");
        builder.HasKey(a => new { a.TagId, a.ObjectId });
        builder.HasIndex(a => a.ObjectId);
        builder.HasOne<TagRecord>().WithMany().HasForeignKey(a => a.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}
