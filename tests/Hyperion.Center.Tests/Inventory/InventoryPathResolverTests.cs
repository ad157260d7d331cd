using Hyperion.Center.Authorization;
using Hyperion.Center.Inventory;
using Hyperion.Center.Persistence;
using Hyperion.Center.Persistence.Entities;
using Hyperion.Center.Security;
using Hyperion.Center.Tests.Fixtures;
using Hyperion.Contracts.Center;
using Hyperion.Domain.Errors;
using Hyperion.Domain.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hyperion.Center.Tests.Inventory;

/// <summary>Inventory paths to objects, against a real SQLite database.</summary>
public sealed class InventoryPathResolverTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private SqliteCenter _center = null!;
    private AuthenticatedUser _admin = null!;
    private DatacenterDto _datacenter = null!;
    private ClusterDto _cluster = null!;
    private FolderDto _webFolder = null!;
    private InventoryId _host;
    private InventoryId _vm;
    private InventoryId _datastore;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _center = await SqliteCenter.CreateAsync(Ct);
        await using var db = _center.Factory.CreateDbContext();
        await AdministratorAccount.EnsureAsync(db, "admin-password", _time, Ct);
        var admin = await db.Users.SingleAsync(u => u.Name == AdministratorAccount.UserName, Ct);
        _admin = new AuthenticatedUser(admin.Id, admin.Name);
        var inventory = new InventoryService(db, new AccessControl(db), _time);
        _datacenter = await inventory.CreateDatacenterAsync(_admin, new DatacenterCreateRequest("DC1"), Ct);
        _cluster = await inventory.CreateClusterAsync(_admin, new ClusterCreateRequest("prod", _datacenter.Id), Ct);
        _webFolder = await inventory.CreateFolderAsync(_admin, new FolderCreateRequest("web", _datacenter.VmFolderId), Ct);

        _host = await db.AllocateIdAsync(InventoryObjectKind.Host, Ct);
        db.Hosts.Add(new HostRecord { Id = _host, Address = "10.0.0.5", Port = 8443, CertificateSha256 = new string('a', 64), ClusterId = InventoryId.Parse(_cluster.Id) });
        _vm = await db.AllocateIdAsync(InventoryObjectKind.Vm, Ct);
        db.Vms.Add(new VmRecord { Id = _vm, Name = "web-1", FolderId = InventoryId.Parse(_webFolder.Id), Uuid = Guid.NewGuid(), Cpus = 1, MemoryMiB = 128 });
        _datastore = await db.AllocateIdAsync(InventoryObjectKind.Datastore, Ct);
        db.Datastores.Add(new DatastoreRecord { Id = _datastore, Name = "nfs", Type = "nfs", DatacenterId = InventoryId.Parse(_datacenter.Id) });
        await db.SaveChangesAsync(Ct);
    }

    public async Task DisposeAsync() => await _center.DisposeAsync();

    [Fact]
    public async Task ResolveAsync_EveryKindOfPath_FindsObjectWithCanonicalPath()
    {
        Assert.Equal(new InventoryObjectDto(InventoryId.RootFolder.Value, "Datacenters", "folder", "/"), await ResolveAsync("/"));
        Assert.Equal(new InventoryObjectDto(_datacenter.Id, "DC1", "datacenter", "/DC1"), await ResolveAsync("/DC1"));
        Assert.Equal((_datacenter.HostFolderId, "folder"), Short(await ResolveAsync("/DC1/host")));
        Assert.Equal((_datacenter.VmFolderId, "folder"), Short(await ResolveAsync("/DC1/vm/")));
        Assert.Equal((_cluster.Id, "cluster"), Short(await ResolveAsync("/DC1/host/prod")));
        Assert.Equal((_host.Value, "host"), Short(await ResolveAsync("/DC1/host/prod/10.0.0.5")));
        Assert.Equal((_webFolder.Id, "folder"), Short(await ResolveAsync("/DC1/vm/web")));
        Assert.Equal(new InventoryObjectDto(_vm.Value, "web-1", "vm", "/DC1/vm/web/web-1"), await ResolveAsync("//DC1//vm/web/web-1"));
        Assert.Equal((_datastore.Value, "datastore"), Short(await ResolveAsync("/DC1/datastore/nfs")));
    }

    [Theory]
    [InlineData("/DC2")]
    [InlineData("/DC1/nope")]
    [InlineData("/DC1/host/web")]
    [InlineData("/DC1/vm/prod")]
    [InlineData("/DC1/datastore")]
    [InlineData("/DC1/host/prod/10.0.0.5/more")]
    [InlineData("/dc1")]
    public async Task ResolveAsync_NothingThere_NotFound(string path)
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => ResolveAsync(path));

        Assert.Equal(ErrorCodes.InventoryNotFound, ex.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("DC1/vm")]
    public async Task ResolveAsync_NotAbsolute_InvalidArgument(string path)
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => ResolveAsync(path));

        Assert.Equal(ErrorCodes.InvalidArgument, ex.Code);
    }

    [Fact]
    public async Task ResolveAsync_ObjectTheUserCannotSee_ReportedAsMissing()
    {
        await using (var db = _center.Factory.CreateDbContext())
        {
            var user = new UserRecord { Name = "bob", PasswordHash = [1], PasswordSalt = [2], PasswordIterations = 1, CreatedAt = _time.GetUtcNow() };
            db.Users.Add(user);
            await db.SaveChangesAsync(Ct);
            var readOnly = await db.Roles.Where(r => r.Name == "Read-only").Select(r => r.Id).SingleAsync(Ct);
            db.Permissions.Add(new PermissionRecord { UserId = user.Id, RoleId = readOnly, ObjectId = InventoryId.Parse(_cluster.Id), Propagate = true });
            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal((_host.Value, "host"), Short(await ResolveAsync("/DC1/host/prod/10.0.0.5", "bob")));
        var ex = await Assert.ThrowsAsync<DomainException>(() => ResolveAsync("/DC1/vm/web/web-1", "bob"));
        Assert.Equal(ErrorCodes.InventoryNotFound, ex.Code);
    }

    private static (string Id, string Kind) Short(InventoryObjectDto found) => (found.Id, found.Kind);

    private async Task<InventoryObjectDto> ResolveAsync(string path, string? user = null)
    {
        await using CenterDbContext db = _center.Factory.CreateDbContext();
        return await new InventoryPathResolver(db, new AccessControl(db)).ResolveAsync(user ?? _admin.Name, path, Ct);
    }
}
