using Hyperion.Center.Authorization;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Inventory;
using Hyperion.Domain.Tasks;
using Hyperion.Domain.Vms;
using Microsoft.EntityFrameworkCore;

namespace Hyperion.Center.Tests.Persistence;

/// <summary>
/// The persistence contract, run against each provider by a derived class (real SQLite file, real PostgreSQL server).
/// The PostgreSQL database is shared by a class's tests, so every test makes its own unique names.
/// </summary>
public abstract class CenterPersistenceTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private CenterDbContextFactory? _factory;

    protected static CancellationToken Ct => CancellationToken.None;

    protected CenterDbContextFactory Factory => _factory ?? throw new InvalidOperationException("not initialized");

    /// <summary>The database this test runs against (possibly shared with the class's other tests); not yet migrated.</summary>
    protected abstract Task<CenterDatabaseOptions> ClassDatabaseAsync(CancellationToken cancellationToken);

    /// <summary>A database nobody has touched.</summary>
    protected abstract Task<CenterDatabaseOptions> EmptyDatabaseAsync(CancellationToken cancellationToken);

    public async Task InitializeAsync()
    {
        var options = await ClassDatabaseAsync(Ct);
        await CenterDatabase.MigrateAsync(options, Ct);
        _factory = new CenterDbContextFactory(options);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task MigrateAsync_EmptyDatabase_AppliesEveryMigrationAndSeeds()
    {
        var options = await EmptyDatabaseAsync(Ct);

        await CenterDatabase.MigrateAsync(options, Ct);

        await using var db = new CenterDbContextFactory(options).CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(Ct));
        var root = await db.Folders.SingleAsync(Ct);
        Assert.Equal(InventoryId.RootFolder, root.Id);
        Assert.Equal(FolderKind.Datacenter, root.Kind);
        Assert.Null(root.ParentFolderId);
        var roles = await db.Roles.OrderBy(r => r.Name).ToListAsync(Ct);
        Assert.Equal(BuiltInRoles.All.Select(r => r.Name).Order(StringComparer.Ordinal), roles.Select(r => r.Name));
        Assert.All(roles, r => Assert.True(r.IsBuiltIn));
        Assert.Equal(Privileges.All, roles.Single(r => r.Name == BuiltInRoles.AdministratorName).Privileges);
        Assert.Equal(InventoryId.RootFolder.Number + 1, await db.AllocateNumberAsync(Ct));
    }

    [Fact]
    public async Task MigrateAsync_AlreadyMigrated_ChangesNothing()
    {
        var options = await EmptyDatabaseAsync(Ct);
        await CenterDatabase.MigrateAsync(options, Ct);

        await CenterDatabase.MigrateAsync(options, Ct);

        await using var db = new CenterDbContextFactory(options).CreateDbContext();
        Assert.Equal(BuiltInRoles.All.Count, await db.Roles.CountAsync(Ct));
        Assert.Equal(1, await db.Folders.CountAsync(Ct));
    }

    [Fact]
    public async Task MigrateAsync_BuiltInRoleEdited_RestoresDefinition()
    {
        await using (var db = Factory.CreateDbContext())
        {
            var readOnly = await db.Roles.SingleAsync(r => r.Name == BuiltInRoles.ReadOnlyName, Ct);
            readOnly.Privileges = [.. Privileges.All];
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            await CenterDatabase.SyncBuiltInRolesAsync(db, Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            Assert.Equal(BuiltInRoles.ReadOnly.Privileges, (await db.Roles.SingleAsync(r => r.Name == BuiltInRoles.ReadOnlyName, Ct)).Privileges);
        }
    }

    [Fact]
    public async Task Model_ComparedWithMigrations_HasNoPendingChanges()
    {
        await using var db = Factory.CreateDbContext();

        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the last migration: run dotnet ef migrations add for both providers");
    }

    [Fact]
    public async Task Inventory_SavedAndReloaded_RoundTrips()
    {
        var dc = await CreateDatacenterAsync(Unique("dc"));
        DatastoreRecord datastore;
        NetworkRecord network;
        ClusterRecord cluster;
        HostRecord clustered;
        HostRecord standalone;
        DatastoreMountRecord mount;
        VmRecord vm;
        FolderRecord subfolder;
        TagRecord tag;
        await using (var db = Factory.CreateDbContext())
        {
            subfolder = new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, Ct), Name = "web", Kind = FolderKind.Vm, ParentFolderId = dc.VmFolder, DatacenterId = dc.Id };
            cluster = new ClusterRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Cluster, Ct), Name = "prod", FolderId = dc.HostFolder };
            clustered = NewHost(await db.AllocateIdAsync(InventoryObjectKind.Host, Ct), Unique("10.0.0"), clusterId: cluster.Id);
            clustered.LastHeartbeatAt = T0;
            clustered.InMaintenanceMode = true;
            standalone = NewHost(await db.AllocateIdAsync(InventoryObjectKind.Host, Ct), Unique("10.0.1"), folderId: dc.HostFolder);
            standalone.ConnectionState = HostConnectionState.NotResponding;
            datastore = new DatastoreRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Datastore, Ct), Name = "shared", DatacenterId = dc.Id, Type = "shared", CapacityBytes = 1L << 40, FreeBytes = 1L << 39 };
            network = new NetworkRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Network, Ct), Name = "VM Network", DatacenterId = dc.Id };
            mount = new DatastoreMountRecord { HostId = clustered.Id, DatastoreId = datastore.Id, Path = "/srv/datastores/shared" };
            vm = new VmRecord
            {
                Id = await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct),
                Name = "web-01",
                FolderId = subfolder.Id,
                HostId = clustered.Id,
                DatastoreId = datastore.Id,
                HostLocalId = new VmId("vm-3"),
                Uuid = Guid.NewGuid(),
                PowerState = VmPowerState.PoweredOn,
                Cpus = 2,
                MemoryMiB = 2048,
            };
            tag = new TagRecord { Category = "env", Name = Unique("prod"), Description = "production" };
            db.AddRange(subfolder, cluster, clustered, standalone, datastore, network, mount, vm, tag);
            await db.SaveChangesAsync(Ct);
            db.TagAssignments.Add(new TagAssignmentRecord { TagId = tag.Id, ObjectId = vm.Id });
            db.TagAssignments.Add(new TagAssignmentRecord { TagId = tag.Id, ObjectId = clustered.Id });
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            Assert.Equivalent(subfolder, await db.Folders.SingleAsync(f => f.Id == subfolder.Id, Ct), strict: true);
            Assert.Equivalent(cluster, await db.Clusters.SingleAsync(c => c.Id == cluster.Id, Ct), strict: true);
            Assert.Equivalent(clustered, await db.Hosts.SingleAsync(h => h.Id == clustered.Id, Ct), strict: true);
            Assert.Equivalent(standalone, await db.Hosts.SingleAsync(h => h.Id == standalone.Id, Ct), strict: true);
            Assert.Equivalent(datastore, await db.Datastores.SingleAsync(d => d.Id == datastore.Id, Ct), strict: true);
            Assert.Equivalent(network, await db.Networks.SingleAsync(n => n.Id == network.Id, Ct), strict: true);
            Assert.Equivalent(mount, await db.DatastoreMounts.SingleAsync(m => m.HostId == clustered.Id, Ct), strict: true);
            Assert.Equivalent(vm, await db.Vms.SingleAsync(v => v.Id == vm.Id, Ct), strict: true);
            Assert.Equivalent(tag, await db.Tags.SingleAsync(t => t.Id == tag.Id, Ct), strict: true);
            Assert.Equal(
                new[] { clustered.Id.Value, vm.Id.Value }.Order(StringComparer.Ordinal),
                (await db.TagAssignments.Where(a => a.TagId == tag.Id).Select(a => a.ObjectId).ToListAsync(Ct)).Select(i => i.Value).Order(StringComparer.Ordinal));
            Assert.Equal(vm.Id, (await db.Vms.SingleAsync(v => v.HostId == clustered.Id && v.HostLocalId == new VmId("vm-3"), Ct)).Id);
        }
    }

    [Fact]
    public async Task Datacenters_DuplicateName_ThrowsUniqueViolation()
    {
        var name = Unique("dc");
        await CreateDatacenterAsync(name);

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => CreateDatacenterAsync(name));

        Assert.True(DatabaseErrors.IsUniqueViolation(error), error.InnerException?.Message);
    }

    [Fact]
    public async Task Hosts_DuplicateAddress_ThrowsUniqueViolation()
    {
        var dc = await CreateDatacenterAsync(Unique("dc"));
        var address = Unique("host");
        await using (var db = Factory.CreateDbContext())
        {
            db.Hosts.Add(NewHost(await db.AllocateIdAsync(InventoryObjectKind.Host, Ct), address, folderId: dc.HostFolder));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            db.Hosts.Add(NewHost(await db.AllocateIdAsync(InventoryObjectKind.Host, Ct), address, folderId: dc.HostFolder));

            var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));

            Assert.True(DatabaseErrors.IsUniqueViolation(error), error.InnerException?.Message);
        }
    }

    [Fact]
    public async Task Hosts_BothClusterAndFolder_ThrowsCheckViolation()
    {
        var dc = await CreateDatacenterAsync(Unique("dc"));
        await using var db = Factory.CreateDbContext();
        var cluster = new ClusterRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Cluster, Ct), Name = "c", FolderId = dc.HostFolder };
        db.Clusters.Add(cluster);
        await db.SaveChangesAsync(Ct);
        db.Hosts.Add(NewHost(await db.AllocateIdAsync(InventoryObjectKind.Host, Ct), Unique("host"), clusterId: cluster.Id, folderId: dc.HostFolder));

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));

        Assert.False(DatabaseErrors.IsUniqueViolation(error));
    }

    [Fact]
    public async Task Vms_SameNameInFolder_ThrowsUniqueViolationButOtherFolderAccepts()
    {
        var dc = await CreateDatacenterAsync(Unique("dc"));
        await using var db = Factory.CreateDbContext();
        var other = new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, Ct), Name = "other", Kind = FolderKind.Vm, ParentFolderId = dc.VmFolder, DatacenterId = dc.Id };
        db.Folders.Add(other);
        db.Vms.Add(NewVm(await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct), "web", dc.VmFolder));
        db.Vms.Add(NewVm(await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct), "web", other.Id));
        await db.SaveChangesAsync(Ct);
        db.Vms.Add(NewVm(await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct), "web", dc.VmFolder));

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));

        Assert.True(DatabaseErrors.IsUniqueViolation(error), error.InnerException?.Message);
    }

    [Fact]
    public async Task Folders_SecondRootVmFolderForDatacenter_ThrowsUniqueViolation()
    {
        var dc = await CreateDatacenterAsync(Unique("dc"));
        await using var db = Factory.CreateDbContext();
        db.Folders.Add(new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, Ct), Name = "vm2", Kind = FolderKind.Vm, DatacenterId = dc.Id });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));

        Assert.True(DatabaseErrors.IsUniqueViolation(error), error.InnerException?.Message);
    }

    [Fact]
    public async Task Vms_FolderMissing_ThrowsForeignKeyViolation()
    {
        await using var db = Factory.CreateDbContext();
        db.Vms.Add(NewVm(await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct), "orphan", InventoryId.Create(InventoryObjectKind.Folder, long.MaxValue)));

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));

        Assert.False(DatabaseErrors.IsUniqueViolation(error));
    }

    [Fact]
    public async Task AllocateIdAsync_ManyAcrossKinds_StrictlyIncreasingWithKindPrefix()
    {
        await using var db = Factory.CreateDbContext();
        var ids = new List<InventoryId>();
        foreach (var kind in Enum.GetValues<InventoryObjectKind>())
        {
            ids.Add(await db.AllocateIdAsync(kind, Ct));
        }

        var task = await db.AllocateTaskIdAsync(Ct);

        Assert.Equal(Enum.GetValues<InventoryObjectKind>(), ids.Select(i => i.Kind));
        Assert.Equal(ids.Select(i => i.Number).Order(), ids.Select(i => i.Number));
        Assert.Equal(ids.Count, ids.Select(i => i.Number).Distinct().Count());
        Assert.Equal(ids[^1].Number + 1, task.Number);
        Assert.StartsWith("domain-c", ids[(int)InventoryObjectKind.Cluster].Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllocateIdAsync_AfterDelete_NeverReusesNumber()
    {
        var dc = await CreateDatacenterAsync(Unique("dc"));
        InventoryId deleted;
        await using (var db = Factory.CreateDbContext())
        {
            deleted = await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct);
            db.Vms.Add(NewVm(deleted, "short-lived", dc.VmFolder));
            await db.SaveChangesAsync(Ct);
            db.Vms.Remove(await db.Vms.SingleAsync(v => v.Id == deleted, Ct));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            var next = await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct);

            Assert.True(next.Number > deleted.Number, $"{next} after {deleted}");
        }
    }

    [Fact]
    public async Task AllocateNumberAsync_ConcurrentContexts_AllDistinct()
    {
        var perWorker = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var db = Factory.CreateDbContext();
            var numbers = new List<long>();
            for (var i = 0; i < 10; i++)
            {
                numbers.Add(await db.AllocateNumberAsync(Ct));
            }

            return numbers;
        }));

        var all = perWorker.SelectMany(n => n).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(perWorker, numbers => Assert.Equal(numbers.Order(), numbers));
    }

    [Fact]
    public async Task Tasks_LifecyclePersisted_ReloadsEachState()
    {
        TaskId succeeded;
        TaskId failed;
        await using (var db = Factory.CreateDbContext())
        {
            succeeded = await db.AllocateTaskIdAsync(Ct);
            failed = await db.AllocateTaskIdAsync(Ct);
            db.Tasks.Add(NewTask(succeeded));
            db.Tasks.Add(NewTask(failed));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            var task = await db.Tasks.SingleAsync(t => t.Id == succeeded, Ct);
            Assert.Equal(TaskState.Queued, task.State);
            task.State = TaskState.Running;
            task.StartedAt = T0.AddSeconds(1);
            task.Progress = 40;
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            var task = await db.Tasks.SingleAsync(t => t.Id == succeeded, Ct);
            Assert.Equal((TaskState.Running, 40, T0.AddSeconds(1)), (task.State, task.Progress, task.StartedAt));
            task.State = TaskState.Success;
            task.Progress = 100;
            task.CompletedAt = T0.AddSeconds(5);
            task.ResultJson = """{"id":"vm-42","powerState":"poweredOn"}""";
            var other = await db.Tasks.SingleAsync(t => t.Id == failed, Ct);
            other.State = TaskState.Error;
            other.CompletedAt = T0.AddSeconds(2);
            other.ErrorCode = "vm.invalid-state";
            other.ErrorMessage = "VM is powered on";
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            var done = await db.Tasks.SingleAsync(t => t.Id == succeeded, Ct);
            Assert.Equal((TaskState.Success, 100, T0, T0.AddSeconds(5)), (done.State, done.Progress, done.QueuedAt, done.CompletedAt));
            Assert.Equal("""{"id":"vm-42","powerState":"poweredOn"}""", done.ResultJson);
            Assert.Equal(new InventoryId("vm-42"), done.TargetId);
            Assert.True(done.Cancellable);
            var error = await db.Tasks.SingleAsync(t => t.Id == failed, Ct);
            Assert.Equal((TaskState.Error, "vm.invalid-state", "VM is powered on"), (error.State, error.ErrorCode, error.ErrorMessage));

            // Filter as "task list" will: unfinished tasks, newest first, by time.
            var unfinished = await db.Tasks.Where(t => t.State == TaskState.Queued || t.State == TaskState.Running)
                .Where(t => t.Id == succeeded || t.Id == failed).CountAsync(Ct);
            Assert.Equal(0, unfinished);
            Assert.Equal(2, await db.Tasks.CountAsync(t => (t.Id == succeeded || t.Id == failed) && t.QueuedAt >= T0 && t.CompletedAt < T0.AddMinutes(1), Ct));
        }
    }

    [Fact]
    public async Task Tasks_ProgressOutOfRange_ThrowsCheckViolation()
    {
        await using var db = Factory.CreateDbContext();
        var task = NewTask(await db.AllocateTaskIdAsync(Ct));
        task.Progress = 101;
        db.Tasks.Add(task);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task Events_FilteredByObjectTypeAndTime_ReturnsMatchesInIdOrder()
    {
        var vm = new InventoryId($"vm-{Random.Shared.NextInt64(1_000_000, long.MaxValue / 2)}");
        var type = Unique("vm.powered-on");
        await using (var db = Factory.CreateDbContext())
        {
            for (var i = 0; i < 5; i++)
            {
                db.Events.Add(new EventRecord { Time = T0.AddMinutes(i), Type = i % 2 == 0 ? type : "vm.created", ObjectId = vm, ObjectName = "web", UserName = "alice", Message = $"event {i}" });
            }

            db.Events.Add(new EventRecord { Time = T0, Type = type, ObjectId = InventoryId.Create(InventoryObjectKind.Host, 1), Message = "elsewhere" });
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            var byObject = await db.Events.Where(e => e.ObjectId == vm).OrderBy(e => e.Id).ToListAsync(Ct);
            var byObjectAndType = await db.Events.Where(e => e.ObjectId == vm && e.Type == type).OrderBy(e => e.Id).Select(e => e.Message).ToListAsync(Ct);
            var byTime = await db.Events.Where(e => e.ObjectId == vm && e.Time >= T0.AddMinutes(1) && e.Time < T0.AddMinutes(3)).OrderBy(e => e.Time).Select(e => e.Message).ToListAsync(Ct);

            Assert.Equal(["event 0", "event 1", "event 2", "event 3", "event 4"], byObject.Select(e => e.Message));
            Assert.Equal(byObject.Select(e => e.Id).Order(), byObject.Select(e => e.Id));
            Assert.Equal(["event 0", "event 2", "event 4"], byObjectAndType);
            Assert.Equal(["event 1", "event 2"], byTime);
            Assert.Equal(T0.AddMinutes(4), byObject[^1].Time);
        }
    }

    [Fact]
    public async Task Security_UserRolePermissionSession_RoundTripAndCascadeOnUserDelete()
    {
        var dc = await CreateDatacenterAsync(Unique("dc"));
        var user = new UserRecord { Name = Unique("alice"), PasswordHash = [1, 2, 3, 4], PasswordSalt = [9, 8, 7], PasswordIterations = 210_000, CreatedAt = T0 };
        var role = new RoleRecord { Name = Unique("power"), Privileges = [Privileges.VmPowerOff, Privileges.VmPowerOn] };
        await using (var db = Factory.CreateDbContext())
        {
            db.AddRange(user, role);
            await db.SaveChangesAsync(Ct);
            db.Permissions.Add(new PermissionRecord { UserId = user.Id, RoleId = role.Id, ObjectId = dc.Id, Propagate = true });
            db.Sessions.Add(new SessionRecord { TokenHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), UserId = user.Id, CreatedAt = T0, ExpiresAt = T0.AddHours(8) });
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            Assert.Equivalent(user, await db.Users.SingleAsync(u => u.Name == user.Name, Ct), strict: true);
            Assert.Equivalent(role, await db.Roles.SingleAsync(r => r.Id == role.Id, Ct), strict: true);
            Assert.Contains(role.Name, await db.Roles.Where(r => r.Privileges.Contains(Privileges.VmPowerOn)).Select(r => r.Name).ToListAsync(Ct));
            var permission = await db.Permissions.SingleAsync(p => p.UserId == user.Id, Ct);
            Assert.Equal((role.Id, dc.Id, true), (permission.RoleId, permission.ObjectId, permission.Propagate));
            var session = await db.Sessions.SingleAsync(s => s.UserId == user.Id, Ct);
            Assert.Equal(T0.AddHours(8), session.ExpiresAt);
            Assert.Equal(1, await db.Sessions.CountAsync(s => s.UserId == user.Id && s.ExpiresAt > T0.AddHours(7), Ct));

            db.Users.Remove(await db.Users.SingleAsync(u => u.Id == user.Id, Ct));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            Assert.False(await db.Permissions.AnyAsync(p => p.UserId == user.Id, Ct));
            Assert.False(await db.Sessions.AnyAsync(s => s.UserId == user.Id, Ct));
            Assert.True(await db.Roles.AnyAsync(r => r.Id == role.Id, Ct));
        }
    }

    [Fact]
    public async Task Users_DuplicateName_ThrowsUniqueViolation()
    {
        var name = Unique("bob");
        await using var db = Factory.CreateDbContext();
        db.Users.Add(new UserRecord { Name = name, PasswordHash = [1], PasswordSalt = [2], PasswordIterations = 1, CreatedAt = T0 });
        await db.SaveChangesAsync(Ct);
        db.Users.Add(new UserRecord { Name = name, PasswordHash = [1], PasswordSalt = [2], PasswordIterations = 1, CreatedAt = T0 });

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));

        Assert.True(DatabaseErrors.IsUniqueViolation(error), error.InnerException?.Message);
    }

    [Fact]
    public async Task InventoryAncestry_VmInSubfolder_ReturnsPathToRootFolder()
    {
        var dc = await CreateDatacenterAsync(Unique("dc"));
        await using var db = Factory.CreateDbContext();
        var sub = new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, Ct), Name = "sub", Kind = FolderKind.Vm, ParentFolderId = dc.VmFolder, DatacenterId = dc.Id };
        var vm = NewVm(await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct), "deep", sub.Id);
        db.AddRange(sub, vm);
        await db.SaveChangesAsync(Ct);

        var path = await InventoryAncestry.GetAsync(db, vm.Id, Ct);

        Assert.Equal([vm.Id, sub.Id, dc.VmFolder, dc.Id, InventoryId.RootFolder], path);
        Assert.Empty(await InventoryAncestry.GetAsync(db, InventoryId.Create(InventoryObjectKind.Vm, long.MaxValue), Ct));
    }

    [Fact]
    public async Task EffectivePrivilegesQuery_AdminOnDatacenterReadOnlyOnFolder_NearestWins()
    {
        var dc = await CreateDatacenterAsync(Unique("dc"));
        var user = new UserRecord { Name = Unique("carol"), PasswordHash = [1], PasswordSalt = [2], PasswordIterations = 1, CreatedAt = T0 };
        InventoryId vmInFolder;
        InventoryId datastore;
        await using (var db = Factory.CreateDbContext())
        {
            var sub = new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, Ct), Name = "restricted", Kind = FolderKind.Vm, ParentFolderId = dc.VmFolder, DatacenterId = dc.Id };
            vmInFolder = await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct);
            datastore = await db.AllocateIdAsync(InventoryObjectKind.Datastore, Ct);
            db.AddRange(user, sub, NewVm(vmInFolder, "vm", sub.Id), new DatastoreRecord { Id = datastore, Name = "ds", DatacenterId = dc.Id, Type = "local" });
            await db.SaveChangesAsync(Ct);
            var admin = await db.Roles.SingleAsync(r => r.Name == BuiltInRoles.AdministratorName, Ct);
            var readOnly = await db.Roles.SingleAsync(r => r.Name == BuiltInRoles.ReadOnlyName, Ct);
            db.Permissions.Add(new PermissionRecord { UserId = user.Id, RoleId = admin.Id, ObjectId = dc.Id, Propagate = true });
            db.Permissions.Add(new PermissionRecord { UserId = user.Id, RoleId = readOnly.Id, ObjectId = sub.Id, Propagate = true });
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = Factory.CreateDbContext())
        {
            Assert.Equal(BuiltInRoles.ReadOnly.Privileges.ToHashSet(), await EffectivePrivilegesQuery.GetAsync(db, user.Name, vmInFolder, Ct));
            Assert.Equal(Privileges.All.ToHashSet(), await EffectivePrivilegesQuery.GetAsync(db, user.Name, datastore, Ct));
            Assert.Empty(await EffectivePrivilegesQuery.GetAsync(db, user.Name, InventoryId.RootFolder, Ct));
            Assert.Empty(await EffectivePrivilegesQuery.GetAsync(db, "nobody", vmInFolder, Ct));
        }
    }

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}";

    protected async Task<DatacenterIds> CreateDatacenterAsync(string name)
    {
        await using var db = Factory.CreateDbContext();
        var dc = new DatacenterRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Datacenter, Ct), Name = name, ParentFolderId = InventoryId.RootFolder };
        var hostFolder = new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, Ct), Name = "host", Kind = FolderKind.Host, DatacenterId = dc.Id };
        var vmFolder = new FolderRecord { Id = await db.AllocateIdAsync(InventoryObjectKind.Folder, Ct), Name = "vm", Kind = FolderKind.Vm, DatacenterId = dc.Id };
        db.AddRange(dc, hostFolder, vmFolder);
        await db.SaveChangesAsync(Ct);
        return new DatacenterIds(dc.Id, hostFolder.Id, vmFolder.Id);
    }

    private static HostRecord NewHost(InventoryId id, string address, InventoryId? clusterId = null, InventoryId? folderId = null) => new()
    {
        Id = id,
        Address = address,
        Port = 8443,
        CertificateSha256 = new string('a', 64),
        ConnectionState = HostConnectionState.Connected,
        ClusterId = clusterId,
        FolderId = folderId,
    };

    private static VmRecord NewVm(InventoryId id, string name, InventoryId folder) => new()
    {
        Id = id,
        Name = name,
        FolderId = folder,
        Uuid = Guid.NewGuid(),
        PowerState = VmPowerState.PoweredOff,
        Cpus = 1,
        MemoryMiB = 128,
    };

    private static TaskRecord NewTask(TaskId id) => new()
    {
        Id = id,
        DescriptionId = "VirtualMachine.powerOn",
        TargetId = new InventoryId("vm-42"),
        TargetName = "web",
        Initiator = "alice",
        State = TaskState.Queued,
        Cancellable = true,
        QueuedAt = T0,
    };

    protected sealed record DatacenterIds(InventoryId Id, InventoryId HostFolder, InventoryId VmFolder);
}
