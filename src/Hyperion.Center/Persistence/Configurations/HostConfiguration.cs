using Hyperion.Center.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Hyperion.Center.Persistence.Configurations;

public sealed class HostConfiguration : IEntityTypeConfiguration<HostRecord>
{
    public void Configure(EntityTypeBuilder<HostRecord> builder)
    {
        builder.ToTable("Hosts", t => t.HasCheckConstraint(
            "CK_Hosts_ClusterXorFolder",
            "(\"ClusterId\" IS NULL) <> (\"FolderId\" IS NULL)"));
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Address).HasMaxLength(255);
        builder.HasIndex(h => new { h.Address, h.Port }).IsUnique();
        builder.Property(h => h.UserName).HasMaxLength(64);
        builder.Property(h => h.Password).HasMaxLength(256);
        builder.Property(h => h.CertificateSha256).HasMaxLength(64);
        builder.Property(h => h.ConnectionState).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(h => h.ClusterId);
        builder.HasIndex(h => h.FolderId);
        builder.HasOne<ClusterRecord>().WithMany().HasForeignKey(h => h.ClusterId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<FolderRecord>().WithMany().HasForeignKey(h => h.FolderId).OnDelete(DeleteBehavior.Restrict);
    }
}
