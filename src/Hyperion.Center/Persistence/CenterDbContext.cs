using Hyperion.Center.Persistence.Conversions;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Tasks;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Persistence;

/// <summary>
/// The Center's database: inventory, tasks, events, users and permissions. One model, two providers: EF Core's
/// "one context type per provider" pattern (<see cref="SqliteCenterDbContext"/>, <see cref="PostgresCenterDbContext"/>),
/// each with its own migration set, because the providers generate different SQL. Code depends on this base type
/// and gets the right derived one from <see cref="CenterDbContextFactory"/>.
/// </summary>
public abstract class CenterDbContext : DbContext
{
    protected CenterDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<DatacenterRecord> Datacenters => Set<DatacenterRecord>();

    public DbSet<FolderRecord> Folders => Set<FolderRecord>();

    public DbSet<ClusterRecord> Clusters => Set<ClusterRecord>();

    public DbSet<HostRecord> Hosts => Set<HostRecord>();

    public DbSet<VmRecord> Vms => Set<VmRecord>();

    public DbSet<DatastoreRecord> Datastores => Set<DatastoreRecord>();

    public DbSet<DatastoreMountRecord> DatastoreMounts => Set<DatastoreMountRecord>();

    public DbSet<NetworkRecord> Networks => Set<NetworkRecord>();

    public DbSet<TagRecord> Tags => Set<TagRecord>();

    public DbSet<TagAssignmentRecord> TagAssignments => Set<TagAssignmentRecord>();

    public DbSet<TaskRecord> Tasks => Set<TaskRecord>();

    public DbSet<EventRecord> Events => Set<EventRecord>();

    public DbSet<UserRecord> Users => Set<UserRecord>();

    public DbSet<RoleRecord> Roles => Set<RoleRecord>();

    public DbSet<PermissionRecord> Permissions => Set<PermissionRecord>();

    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

    public DbSet<IdSequenceRecord> IdSequences => Set<IdSequenceRecord>();

    public DbSet<MetricSampleRecord> MetricSamples => Set<MetricSampleRecord>();

    /// <summary>
    /// Takes the next number of the Center-wide sequence in one atomic statement (a row lock on PostgreSQL, the write
    /// lock on SQLite). Inside a caller's transaction a rollback gives the number back, which is harmless since
    /// nothing committed carries it; outside one, the number is spent even if the insert later fails. Either way a
    /// committed id is never handed out again, and deleting an object never lowers the counter.
    /// </summary>
    public async Task<long> AllocateNumberAsync(CancellationToken cancellationToken)
    {
        var name = IdSequenceRecord.Object;
        var numbers = await Database
            .SqlQuery<long>($"UPDATE \"IdSequences\" SET \"NextValue\" = \"NextValue\" + 1 WHERE \"Name\" = {name} RETURNING \"NextValue\" - 1 AS \"Value\"")
            .ToListAsync(cancellationToken);
        return numbers.Count == 1 ? numbers[0] : throw new InvalidOperationException($"id sequence '{name}' is missing: was the database migrated?");
    }

    public async Task<InventoryId> AllocateIdAsync(InventoryObjectKind kind, CancellationToken cancellationToken) =>
        InventoryId.Create(kind, await AllocateNumberAsync(cancellationToken));

    public async Task<TaskId> AllocateTaskIdAsync(CancellationToken cancellationToken) =>
        TaskId.FromNumber(await AllocateNumberAsync(cancellationToken));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CenterDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<InventoryId>().HaveConversion<InventoryIdConverter>().HaveMaxLength(InventoryId.MaxLength);
        configurationBuilder.Properties<TaskId>().HaveConversion<TaskIdConverter>().HaveMaxLength(TaskId.MaxLength);
        configurationBuilder.Properties<VmId>().HaveConversion<VmIdConverter>().HaveMaxLength(24);
    }
}
