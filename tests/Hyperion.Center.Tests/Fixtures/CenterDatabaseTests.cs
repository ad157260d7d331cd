using Hyperion.Center.Authorization;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Center.Tests.Fixtures;

/// <summary>
/// Base of tests that run the Center's services against a fresh, migrated database per test (a derived class picks
/// SQLite or PostgreSQL), with the built-in administrator and helpers to seed inventory rows directly.
/// </summary>
public abstract class CenterDatabaseTests : IAsyncLifetime
{
    private CenterDbContextFactory? _factory;

    protected static CancellationToken Ct => CancellationToken.None;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    protected CenterDbContextFactory Factory => _factory ?? throw new InvalidOperationException("not initialized");

    protected AuthenticatedUser Admin { get; private set; } = null!;

    /// <summary>A database nobody has touched, not yet migrated.</summary>
    protected abstract Task<CenterDatabaseOptions> CreateDatabaseAsync(CancellationToken cancellationToken);

    public virtual async Task InitializeAsync()
    {
        var options = await CreateDatabaseAsync(Ct);
        await CenterDatabase.MigrateAsync(options, Ct);
        _factory = new CenterDbContextFactory(options);
        await using var db = Factory.CreateDbContext();
        await AdministratorAccount.EnsureAsync(db, "admin-password", Time, Ct);
        var admin = await db.Users.SingleAsync(u => u.Name == AdministratorAccount.UserName, Ct);
        Admin = new AuthenticatedUser(admin.Id, admin.Name);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Runs <paramref name="action"/> with a context and an access control of its own, as one request would.</summary>
    protected async Task<T> InRequestAsync<T>(Func<CenterDbContext, AccessControl, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var db = Factory.CreateDbContext();
        return await action(db, new AccessControl(db));
    }

    protected async Task<AuthenticatedUser> AddUserAsync(string name)
    {
        await using var db = Factory.CreateDbContext();
        var user = new UserRecord { Name = name, PasswordHash = [1], PasswordSalt = [2], PasswordIterations = 1, CreatedAt = Time.GetUtcNow() };
        db.Users.Add(user);
        await db.SaveChangesAsync(Ct);
        return new AuthenticatedUser(user.Id, user.Name);
    }

    protected async Task GrantAsync(AuthenticatedUser user, string role, InventoryId objectId, bool propagate = true)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = Factory.CreateDbContext();
        var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleAsync(Ct);
        var existing = await db.Permissions.SingleOrDefaultAsync(p => p.UserId == user.Id && p.ObjectId == objectId, Ct);
        if (existing is null)
        {
            db.Permissions.Add(new PermissionRecord { UserId = user.Id, RoleId = roleId, ObjectId = objectId, Propagate = propagate });
        }
        else
        {
            existing.RoleId = roleId;
            existing.Propagate = propagate;
        }

        await db.SaveChangesAsync(Ct);
    }

    /// <summary>A datacenter with its root host and VM folders, written directly.</summary>
    protected static async Task<(InventoryId Datacenter, InventoryId HostFolder, InventoryId VmFolder)> AddDatacenterAsync(CenterDbContext db, string name, InventoryId? parent = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var datacenter = new DatacenterRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Datacenter, Ct), Name = name, ParentFolderId = parent ?? InventoryId.RootFolder };
        var hostFolder = new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, Ct), Name = "host", Kind = FolderKind.Host, DatacenterId = datacenter.Id };
        var vmFolder = new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, Ct), Name = "vm", Kind = FolderKind.Vm, DatacenterId = datacenter.Id };
        db.Datacenters.Add(datacenter);
        db.Folders.AddRange(hostFolder, vmFolder);
        await db.SaveChangesAsync(Ct);
        return (datacenter.Id, hostFolder.Id, vmFolder.Id);
    }

    protected static async Task<InventoryId> AddFolderAsync(CenterDbContext db, string name, InventoryId parent)
    {
        ArgumentNullException.ThrowIfNull(db);
        var parentRecord = await db.Folders.AsNoTracking().SingleAsync(f => f.Id == parent, Ct);
        var folder = new FolderRecord
        {
            Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, Ct),
            Name = name,
            Kind = parentRecord.Kind,
            ParentFolderId = parent,
            DatacenterId = parentRecord.DatacenterId,
        };
        db.Folders.Add(folder);
        await db.SaveChangesAsync(Ct);
        return folder.Id;
    }

    protected static async Task<InventoryId> AddClusterAsync(CenterDbContext db, string name, InventoryId hostFolder)
    {
        ArgumentNullException.ThrowIfNull(db);
        var cluster = new ClusterRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Cluster, Ct), Name = name, FolderId = hostFolder };
        db.Clusters.Add(cluster);
        await db.SaveChangesAsync(Ct);
        return cluster.Id;
    }

    /// <summary>A host record in a cluster or (standalone) a host folder; the address is unique per call.</summary>
    protected static async Task<InventoryId> AddHostAsync(CenterDbContext db, string address, InventoryId parent, HostConnectionState state = HostConnectionState.Connected)
    {
        ArgumentNullException.ThrowIfNull(db);
        var host = new HostRecord
        {
            Id = await db.AllocateIdAsync(InventoryObjectKind.Host, Ct),
            Address = address,
            Port = 8443,
            CertificateSha256 = new string('a', 64),
            ConnectionState = state,
            ClusterId = parent.Kind == InventoryObjectKind.Cluster ? parent : null,
            FolderId = parent.Kind == InventoryObjectKind.Folder ? parent : null,
        };
        db.Hosts.Add(host);
        await db.SaveChangesAsync(Ct);
        return host.Id;
    }

    /// <summary>
    /// Writes VM records in one transaction, their ids from one block of the sequence (one statement, not one per VM).
    /// Each VM gets a host-local id unique on its host.
    /// </summary>
    protected static async Task<List<VmRecord>> SeedVmsAsync(CenterDbContext db, IReadOnlyList<(string Name, InventoryId Folder, InventoryId? Host, VmPowerState State)> vms)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(vms);
        var count = (long)vms.Count;
        var name = IdSequenceRecord.Object;
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        var first = (await db.Database
            .SqlQuery<long>($"UPDATE \"IdSequences\" SET \"NextValue\" = \"NextValue\" + {count} WHERE \"Name\" = {name} RETURNING \"NextValue\" - {count} AS \"Value\"")
            .ToListAsync(Ct)).Single();
        var records = vms.Select((v, i) => new VmRecord
        {
            Id = InventoryId.Create(InventoryObjectKind.Vm, first + i),
            Name = v.Name,
            FolderId = v.Folder,
            HostId = v.Host,
            HostLocalId = v.Host is null ? null : new VmId($"vm-{i + 1}"),
            Uuid = Guid.NewGuid(),
            PowerState = v.State,
            Cpus = 1,
            MemoryMiB = 128,
        }).ToList();
        db.Vms.AddRange(records);
        await db.SaveChangesAsync(Ct);
        await transaction.CommitAsync(Ct);
        db.ChangeTracker.Clear();
        return records;
    }
}
