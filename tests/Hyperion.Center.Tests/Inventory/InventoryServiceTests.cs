using Hyperion.Center.Authorization;
using Hyperion.Center.Inventory;
using Hyperion.Center.Paging;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tests.Fixtures;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Authorization;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Center.Tests.Inventory;

/// <summary>Inventory rules against a real SQLite database: ids, names, privileges, and nothing written on refusal.</summary>
public sealed class InventoryServiceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private SqliteCenter _center = null!;
    private AuthenticatedUser _admin = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _center = await SqliteCenter.CreateAsync(Ct);
        await using var db = _center.Factory.CreateDbContext();
        Assert.Null(await AdministratorAccount.EnsureAsync(db, "admin-password", _time, Ct));
        var admin = await db.Users.SingleAsync(u => u.Name == AdministratorAccount.UserName, Ct);
        _admin = new AuthenticatedUser(admin.Id, admin.Name);
    }

    public async Task DisposeAsync() => await _center.DisposeAsync();

    [Fact]
    public async Task EnsureAsync_NoPasswordGiven_GeneratesOnceAndGrantsAdministratorOnRoot()
    {
        await using var fresh = await SqliteCenter.CreateAsync(Ct);
        await using var db = fresh.Factory.CreateDbContext();

        var generated = await AdministratorAccount.EnsureAsync(db, null, _time, Ct);
        var second = await AdministratorAccount.EnsureAsync(db, null, _time, Ct);

        Assert.False(string.IsNullOrEmpty(generated));
        Assert.Null(second);
        var user = await db.Users.SingleAsync(Ct);
        Assert.True(PasswordHasher.Verify(user, generated));
        var privileges = await EffectivePrivilegesQuery.GetAsync(db, AdministratorAccount.UserName, InventoryId.RootFolder, Ct);
        Assert.Equal(Privileges.All.Order(StringComparer.Ordinal), privileges.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CreateDatacenterAsync_Admin_IdsFromSequenceAndRootFolders()
    {
        var created = await WithServiceAsync(s => s.CreateDatacenterAsync(_admin, new DatacenterCreateRequest("dc1"), Ct));

        Assert.Equal(InventoryObjectKind.Datacenter, InventoryId.Parse(created.Id).Kind);
        await using var db = _center.Factory.CreateDbContext();
        var folders = await db.Folders.Where(f => f.DatacenterId == InventoryId.Parse(created.Id)).OrderBy(f => f.Name).ToListAsync(Ct);
        Assert.Equal([FolderKind.Host, FolderKind.Vm], folders.Select(f => f.Kind));
        Assert.All(folders, f => Assert.Null(f.ParentFolderId));
    }

    [Fact]
    public async Task CreateDatacenterAsync_DuplicateName_ConflictAndSequenceKeepsOneDatacenter()
    {
        await WithServiceAsync(s => s.CreateDatacenterAsync(_admin, new DatacenterCreateRequest("dc1"), Ct));

        var ex = await Assert.ThrowsAsync<DomainException>(() => WithServiceAsync(s => s.CreateDatacenterAsync(_admin, new DatacenterCreateRequest("dc1"), Ct)));

        Assert.Equal(ErrorCodes.InventoryDuplicateName, ex.Code);
        await using var db = _center.Factory.CreateDbContext();
        Assert.Equal(1, await db.Datacenters.CountAsync(Ct));
        Assert.Equal(3, await db.Folders.CountAsync(Ct));
    }

    [Fact]
    public async Task CreateDatacenterAsync_ReadOnlyUser_ForbiddenAndNothingWritten()
    {
        var reader = await AddUserAsync("reader", BuiltInRoles.ReadOnlyName, InventoryId.RootFolder);

        var ex = await Assert.ThrowsAsync<DomainException>(() => WithServiceAsync(s => s.CreateDatacenterAsync(reader, new DatacenterCreateRequest("dc1"), Ct)));

        Assert.Equal(ErrorCodes.Forbidden, ex.Code);
        await using var db = _center.Factory.CreateDbContext();
        Assert.False(await db.Datacenters.AnyAsync(Ct));
        Assert.Equal(InventoryId.RootFolder.Number + 1, await db.AllocateNumberAsync(Ct));
    }

    [Fact]
    public async Task CreateClusterAsync_AdministratorOnDatacenterOnly_AllowedThereButNotForNewDatacenter()
    {
        var datacenter = await WithServiceAsync(s => s.CreateDatacenterAsync(_admin, new DatacenterCreateRequest("dc1"), Ct));
        var local = await AddUserAsync("local-admin", BuiltInRoles.AdministratorName, InventoryId.Parse(datacenter.Id));

        var cluster = await WithServiceAsync(s => s.CreateClusterAsync(local, new ClusterCreateRequest("c1", "dc1"), Ct));
        var ex = await Assert.ThrowsAsync<DomainException>(() => WithServiceAsync(s => s.CreateDatacenterAsync(local, new DatacenterCreateRequest("dc2"), Ct)));

        Assert.Equal(datacenter.HostFolderId, cluster.FolderId);
        Assert.Equal(ErrorCodes.Forbidden, ex.Code);
        Assert.Single((await WithServiceAsync(s => s.ListDatacentersAsync(local, null, PageRequest.First, Ct))).Items);
    }

    [Fact]
    public async Task ListFoldersAsync_UnknownParent_NotFound()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => WithServiceAsync(s => s.ListFoldersAsync(_admin, "datacenter-999", null, PageRequest.First, Ct)));

        Assert.Equal(ErrorCodes.InventoryNotFound, ex.Code);
    }

    private async Task<AuthenticatedUser> AddUserAsync(string name, string role, InventoryId objectId)
    {
        await using var db = _center.Factory.CreateDbContext();
        var user = new UserRecord { Name = name, PasswordHash = [1], PasswordSalt = [2], PasswordIterations = 1, CreatedAt = _time.GetUtcNow() };
        db.Users.Add(user);
        await db.SaveChangesAsync(Ct);
        var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleAsync(Ct);
        db.Permissions.Add(new PermissionRecord { UserId = user.Id, RoleId = roleId, ObjectId = objectId, Propagate = true });
        await db.SaveChangesAsync(Ct);
        return new AuthenticatedUser(user.Id, user.Name);
    }

    private async Task<T> WithServiceAsync<T>(Func<InventoryService, Task<T>> action)
    {
        await using CenterDbContext db = _center.Factory.CreateDbContext();
        return await action(new InventoryService(db, new AccessControl(db), _time));
    }
}
